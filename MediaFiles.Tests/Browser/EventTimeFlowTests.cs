using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// The event time in the browser: photos keep their camera's date through "Clear list" and a clock
/// that has moved on (the page never fills in a time nobody picked), a series takes its earliest
/// photo's, and a clip dropped in photo mode becomes a clip dated by its recording.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EventTimeFlowTests(ClockedBrowserAppFixture app) : IClassFixture<ClockedBrowserAppFixture>
{
    [Fact]
    public async Task Photos_series_and_clips_keep_their_camera_dates_after_clear_list_and_a_clock_that_moved_on()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await BrowserSteps.SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        await BrowserSteps.OpenLinkAsync(page, "Jonas Weber");
        await Assertions.Expect(page.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("time-hint")).ToContainTextAsync("camera recorded");

        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]",
            new BrowserSteps.DroppedFile(Support.TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 30, 0), "+02:00"), "first.jpg", "image/jpeg"));
        await Assertions.Expect(page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-state", "added");
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear list" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("upload-item")).ToHaveCountAsync(0);

        // The minute changes while the nurse walks to the next bed.
        app.Clock.Advance(TimeSpan.FromMinutes(7));
        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]",
            new BrowserSteps.DroppedFile(Support.TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 45, 0), "+02:00"), "second.jpg", "image/jpeg"));
        await Assertions.Expect(page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-state", "added");

        await Assertions.Expect(page.GetByTestId("photo-card")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("timeline-day")).ToHaveTextAsync(["Thu 1 May 2014"]);

        // A series without a picked time takes its earliest photo's camera time.
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear list" }).ClickAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await page.GetByTestId("upload-mode").GetByText("One series", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]",
            new BrowserSteps.DroppedFile(Support.TestImages.JpegTakenAt(new DateTime(2014, 5, 3, 11, 0, 0), "+02:00"), "later.jpg", "image/jpeg"),
            new BrowserSteps.DroppedFile(Support.TestImages.JpegTakenAt(new DateTime(2014, 5, 3, 8, 15, 0), "+02:00"), "earlier.jpg", "image/jpeg"));
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=ready]")).ToHaveCountAsync(2);
        await page.GetByTestId("create-series").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=added]")).ToHaveCountAsync(2);

        // A clip dropped in "Separate photos" mode is a clip, dated by its recording time.
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear list" }).ClickAsync();
        await page.GetByTestId("upload-mode").GetByText("Separate photos", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]", new BrowserSteps.DroppedFile(await RecordedClipAsync(), "walk.mp4", "video/mp4"));
        await Assertions.Expect(page.GetByTestId("upload-item")).ToHaveAttributeAsync("data-state", "added", new() { Timeout = 30_000 });

        await Assertions.Expect(page.GetByTestId("photo-card")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("video-card")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("timeline-day")).ToHaveTextAsync(["Mon 5 May 2014", "Sat 3 May 2014", "Thu 1 May 2014"]);
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "event-time-camera-dates");
    }

    /// <summary>A short H.264 MP4 whose container says it was recorded on 5 May 2014, 09:20 UTC.</summary>
    private static async Task<byte[]> RecordedClipAsync()
    {
        var dir = Directory.CreateTempSubdirectory("mf-clip-").FullName;
        var path = Path.Combine(dir, "walk.mp4");
        await Support.TestClips.FfmpegAsync("-f", "lavfi", "-i", "testsrc=duration=1:size=320x240:rate=10", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-metadata", "creation_time=2014-05-05T09:20:00Z", "-movflags", "+faststart", path);
        var bytes = await File.ReadAllBytesAsync(path);
        Directory.Delete(dir, recursive: true);
        return bytes;
    }
}
