using Microsoft.Playwright;
using static MediaFiles.Tests.Browser.BrowserSteps;

namespace MediaFiles.Tests.Browser;

/// <summary>Building a series, putting it in order by dragging, paging through it: once, in a real browser.</summary>
[Collection(MediaFiles.Tests.Browser.BrowserCollection.Name)]
public sealed class PhotoSeriesFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task Nurse_builds_a_series_of_four_drags_the_third_first_and_pages_with_arrow_keys()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        await OpenLinkAsync(page, "Jonas Weber");
        await Assertions.Expect(page.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();

        // One series of four, dropped in one go.
        await page.GetByTestId("upload-mode").GetByText("One series", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await page.GetByLabel("Series caption (optional)").FillAsync("Sacral wound, dressing change");
        string[] colors = ["#C62828", "#2E7D32", "#1565C0", "#F9A825"];
        await DropFilesAsync(page, "[data-testid=drop-target]",
            colors.Select((c, i) => new DroppedFile(Jpeg(1200, 900, c, "#FFFFFF"), $"step{i + 1}.jpg", "image/jpeg")).ToArray());
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=ready]")).ToHaveCountAsync(4);
        await ScreenshotAsync(page, app.ScreenshotDir, "11-series-ready");
        await page.GetByTestId("create-series").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=added]")).ToHaveCountAsync(4);

        // The timeline shows one card with a count of 4.
        var card = page.GetByTestId("photo-card").First;
        await Assertions.Expect(card.GetByTestId("series-count")).ToHaveTextAsync("4");
        await card.ClickAsync();
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("series-title")).ToHaveTextAsync("Sacral wound, dressing change");
        var items = page.GetByTestId("series-item");
        await Assertions.Expect(items).ToHaveCountAsync(4);
        var before = await MediaOrderAsync(page);

        // Drag the third thumbnail to the first place; it is saved at once.
        await DragAsync(page, items.Nth(2), items.Nth(0));
        string[] expected = [before[2], before[0], before[1], before[3]];
        await Assertions.Expect(items.First).ToHaveAttributeAsync("data-media-id", expected[0]);
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Assertions.Expect(items).ToHaveCountAsync(4);
        Assert.Equal(expected, await MediaOrderAsync(page));
        await ScreenshotAsync(page, app.ScreenshotDir, "12-series-reordered");

        // The lightbox pages with the arrow keys and closes with Escape.
        await items.First.Locator("button.series-tile-media").ClickAsync();
        var lightbox = page.GetByTestId("lightbox");
        await Assertions.Expect(page.GetByTestId("lightbox-counter")).ToHaveTextAsync("1 of 4");
        await Assertions.Expect(lightbox).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("lightbox-image")).ToHaveAttributeAsync("data-media-id", expected[0]);
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.GetByTestId("lightbox-counter")).ToHaveTextAsync("2 of 4");
        await Assertions.Expect(page.GetByTestId("lightbox-image")).ToHaveAttributeAsync("data-media-id", expected[1]);
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.GetByTestId("lightbox-counter")).ToHaveTextAsync("3 of 4");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(page.GetByTestId("lightbox-counter")).ToHaveTextAsync("2 of 4");
        await ScreenshotAsync(page, app.ScreenshotDir, "13-lightbox");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(lightbox).ToHaveCountAsync(0);
    }

    /// <summary>A mouse drag in steps, as a hand would: press on the tile, move onto the target, release.</summary>
    private static async Task DragAsync(IPage page, ILocator source, ILocator target)
    {
        await Assertions.Expect(page.Locator("[data-testid=series-grid][data-reorder-ready=true]")).ToHaveCountAsync(1);
        var from = (await source.BoundingBoxAsync())!;
        var to = (await target.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 3);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(to.X + to.Width / 2, to.Y + to.Height / 3, new MouseMoveOptions { Steps = 10 });
        await Assertions.Expect(target).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("reorder-target"));
        await page.Mouse.UpAsync();
    }

    private static async Task<string[]> MediaOrderAsync(IPage page) =>
        (await page.GetByTestId("series-item").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.mediaId)"));
}
