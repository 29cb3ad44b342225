using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// The event time in the browser: a photo keeps its camera's date through "Clear list" and a clock
/// that has moved on (the page never fills in a time nobody picked), and a clip dropped in photo mode
/// becomes a clip dated by its recording.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EventTimeFlowTests(ClockedBrowserAppFixture app) : IClassFixture<ClockedBrowserAppFixture>
{
    [Fact]
    public async Task Photos_keep_their_camera_date_after_clear_list_and_a_clock_that_moved_on()
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
        await Assertions.Expect(page.Locator(".timeline-day")).ToHaveTextAsync(["Thursday 1 May 2014"]);
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "event-time-camera-dates");
    }
}
