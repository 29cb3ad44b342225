using Microsoft.Playwright;
using static MediaFiles.Tests.Browser.BrowserSteps;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// Building and ordering a series on a phone (390 × 844, touch): the list is in the series' order and
/// can be changed before the series is made; the series page shows two tiles a row with sharp
/// images and controls a finger can hit; a tap after a drag let go outside the tiles still opens
/// the photo.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneSeriesFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task A_nurse_builds_and_orders_a_series_on_a_phone()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true, DeviceScaleFactor = 3,
        });
        var page = await SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        // Who is signed in shows on a phone too.
        await Assertions.Expect(page.GetByTestId("current-user")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("current-user")).ToHaveTextAsync("Nora Lindqvist");
        await OpenLinkAsync(page, "Helena Marsh");
        await Assertions.Expect(page.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();

        // Setting the time by hand: the date field shows the whole date, not "3 Dec 202".
        await page.GetByTestId("event-time").Locator("input[type=checkbox]").TapAsync();
        var date = page.GetByTestId("event-time").GetByLabel("Taken on");
        await Assertions.Expect(date).ToBeVisibleAsync();
        Assert.True(await date.EvaluateAsync<bool>("input => input.scrollWidth <= input.clientWidth"), "the date field is clipped");
        await ScreenshotAsync(page, app.ScreenshotDir, "phone-time-picker");
        await page.GetByTestId("event-time").Locator("input[type=checkbox]").TapAsync();

        await page.GetByTestId("upload-mode").GetByText("One series", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        string[] colors = ["#C62828", "#2E7D32", "#1565C0", "#F9A825"];
        await DropFilesAsync(page, "[data-testid=drop-target]",
            colors.Select((c, i) => new DroppedFile(Jpeg(1600, 1200, c, "#FFFFFF"), $"step{i + 1}.jpg", "image/jpeg")).ToArray());
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=ready]")).ToHaveCountAsync(4);

        // The list is the series to be: numbered, in order, in view, and a file can move before it is made.
        await Assertions.Expect(page.GetByTestId("upload-list")).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByTestId("upload-position")).ToHaveTextAsync(["1", "2", "3", "4"]);
        await Assertions.Expect(page.GetByTestId("mode-locked")).ToBeVisibleAsync();
        await page.GetByLabel("Move step4.jpg earlier in the series").TapAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-item] .upload-name"))
            .ToHaveTextAsync(["step1.jpg", "step2.jpg", "step4.jpg", "step3.jpg"]);
        var moveBox = (await page.GetByLabel("Move step1.jpg later in the series").BoundingBoxAsync())!;
        Assert.True(moveBox.Width >= 44 && moveBox.Height >= 44, $"move button is {moveBox.Width} × {moveBox.Height}");
        await ScreenshotAsync(page, app.ScreenshotDir, "phone-series-building");
        await page.GetByTestId("create-series").TapAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=added]")).ToHaveCountAsync(4);

        // The series page: two tiles a row, sharp (the medium size on a 3× screen), 44 px controls.
        await page.GetByTestId("photo-card").First.TapAsync();
        await WaitInteractiveAsync(page);
        var items = page.GetByTestId("series-item");
        await Assertions.Expect(items).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-testid=series-grid][data-reorder-ready=true]")).ToHaveCountAsync(1);
        var first = (await items.Nth(0).BoundingBoxAsync())!;
        var second = (await items.Nth(1).BoundingBoxAsync())!;
        Assert.Equal(first.Y, second.Y, 1);
        Assert.True(second.X > first.X + first.Width - 1, "the second tile is beside the first");
        var image = items.First.Locator("img");
        await ExpectLoadedAsync(image);
        Assert.Contains("/medium", await image.EvaluateAsync<string>("img => img.currentSrc"));
        foreach (var control in new[] { "move-later", "remove-photo" })
        {
            var box = (await items.First.GetByTestId(control).BoundingBoxAsync())!;
            Assert.True(box.Width >= 44 && box.Height >= 44, $"{control} is {box.Width} × {box.Height}");
        }
        await ScreenshotAsync(page, app.ScreenshotDir, "phone-series-page");

        // A touch drag held at the top edge scrolls the page up; let go there (on no tile) it moves nothing,
        // and the next tap on a photo still opens it.
        var before = await page.EvaluateAsync<double>(@"() => {
            const grid = document.querySelector('[data-testid=series-grid]');
            window.scrollTo(0, grid.getBoundingClientRect().top + window.scrollY - 80);
            return window.scrollY;
        }");
        Assert.True(before > 100, $"the page should be scrolled down first, is at {before}");
        var order = await items.EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.mediaId)");
        await page.GetByTestId("series-grid").EvaluateAsync(@"grid => {
            const handle = grid.querySelectorAll('[data-drag-handle]')[1];
            const r = handle.getBoundingClientRect();
            const at = (type, target, x, y) => target.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 7, pointerType: 'touch', clientX: x, clientY: y, isPrimary: true }));
            at('pointerdown', handle, r.x + r.width / 2, r.y + r.height / 2);
            for (let step = 1; step <= 5; step++) at('pointermove', grid, r.x + r.width / 2, r.y + r.height / 2 - (r.y + r.height / 2 - 8) * step / 5);
        }");
        await page.WaitForFunctionAsync($"() => window.scrollY < {before - 60}");
        await page.GetByTestId("series-grid").EvaluateAsync(@"grid => grid.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, cancelable: true, pointerId: 7, pointerType: 'touch', clientX: 20, clientY: 8, isPrimary: true }))");
        Assert.Equal(order, await items.EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.mediaId)"));
        await Assertions.Expect(page.Locator(".reorder-dragging, .reorder-target")).ToHaveCountAsync(0);
        await items.Nth(2).ScrollIntoViewIfNeededAsync();
        await items.Nth(2).Locator("button.series-tile-media").TapAsync();
        await Assertions.Expect(page.GetByTestId("lightbox-counter")).ToHaveTextAsync("3 of 4");
        await ScreenshotAsync(page, app.ScreenshotDir, "phone-series-lightbox");
    }

    [Fact]
    public async Task A_clip_page_fits_a_phone_screen()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true,
        });
        var page = await SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        await OpenLinkAsync(page, "Jonas Weber");
        await Assertions.Expect(page.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();
        var dir = Directory.CreateTempSubdirectory("mf-phone-clip-").FullName;
        var path = Path.Combine(dir, "portrait.mp4");
        await Support.TestClips.FfmpegAsync("-f", "lavfi", "-i", "testsrc=duration=1:size=360x640:rate=10", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-movflags", "+faststart", path);
        await DropFilesAsync(page, "[data-testid=drop-target]", new DroppedFile(await File.ReadAllBytesAsync(path), "portrait.mp4", "video/mp4"));
        Directory.Delete(dir, recursive: true);
        await Assertions.Expect(page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-state", "added", new() { Timeout = 30_000 });

        await page.GetByTestId("video-card").First.TapAsync();
        var player = page.GetByTestId("video-player");
        await Assertions.Expect(player).ToBeVisibleAsync();
        var box = (await player.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 390.5, $"the player is {box.Width} px wide at {box.X}");
        Assert.True(box.Height <= 844 * 0.61, $"the player is {box.Height} px high");
        await ScreenshotAsync(page, app.ScreenshotDir, "phone-clip-page");
    }
}
