using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// The admin's main flow once in a real browser: delete a photo and restore it from the deleted
/// items, run an integrity scan that finishes in the background, and read the dashboard.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task Admin_restores_a_deleted_photo_runs_an_integrity_scan_and_reads_the_dashboard()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await BrowserSteps.SignedInPageAsync(context, app.BaseUrl, "admin", "/patients");

        // Add a photo, open it, delete it: the question says what a delete really does.
        await BrowserSteps.OpenLinkAsync(page, "Amara Nwosu");
        await Assertions.Expect(page.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();
        await page.GetByLabel("Description (optional)").FillAsync("Forearm laceration");
        await BrowserSteps.DropFilesAsync(page, "[data-testid=drop-target]", new BrowserSteps.DroppedFile(BrowserSteps.Jpeg(1200, 900, "#1565C0", "#FFE082"), "arm.jpg", "image/jpeg"));
        await Assertions.Expect(page.GetByTestId("photo-card")).ToHaveCountAsync(1);
        await page.GetByTestId("photo-card").ClickAsync();
        await BrowserSteps.WaitInteractiveAsync(page);
        await page.GetByTestId("delete-photo").ClickAsync();
        var question = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(question).ToContainTextAsync("An admin can restore it within 30 days");
        await question.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No photos yet");

        // The deleted items list it with its thumbnail; restore puts it back on the timeline.
        await page.GotoAsync($"{app.BaseUrl}/admin/deleted");
        await BrowserSteps.WaitInteractiveAsync(page);
        var deleted = page.GetByTestId("deleted-item");
        await Assertions.Expect(deleted).ToHaveCountAsync(1);
        await Assertions.Expect(deleted).ToContainTextAsync("Amara Nwosu");
        await Assertions.Expect(deleted).ToContainTextAsync("Deleted");
        await BrowserSteps.ExpectLoadedAsync(deleted.GetByTestId("photo-thumbnail"), 200);
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "admin-01-deleted-items");
        await deleted.GetByTestId("restore").ClickAsync();
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("Nothing deleted");
        await page.GotoAsync($"{app.BaseUrl}/patients");
        await BrowserSteps.WaitInteractiveAsync(page);
        await BrowserSteps.OpenLinkAsync(page, "Amara Nwosu");
        await Assertions.Expect(page.GetByTestId("photo-card")).ToContainTextAsync("Forearm laceration");

        // An integrity scan runs in the background and leaves its result.
        await page.GotoAsync($"{app.BaseUrl}/admin/maintenance");
        await BrowserSteps.WaitInteractiveAsync(page);
        await page.GetByTestId("start-IntegrityScan").ClickAsync();
        var scanCard = page.GetByTestId("job-card-IntegrityScan");
        await Assertions.Expect(scanCard.GetByTestId("job-last")).ToContainTextAsync("1 original checked: no problems");
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "admin-02-maintenance");

        // The dashboard counts it and reports the machine.
        await page.GotoAsync($"{app.BaseUrl}/admin");
        await BrowserSteps.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("uploads-chart")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("health-ffmpeg")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("\\d+\\.\\d+"));
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "admin-03-dashboard");

        // The audit trail shows what just happened, newest first, and exports it.
        await page.GotoAsync($"{app.BaseUrl}/admin/audit");
        await BrowserSteps.WaitInteractiveAsync(page);
        var actions = page.GetByTestId("audit-action");
        await Assertions.Expect(actions.Filter(new LocatorFilterOptions { HasText = "event.restore" })).ToHaveCountAsync(1);
        await Assertions.Expect(actions.Filter(new LocatorFilterOptions { HasText = "maintenance.start" })).ToHaveCountAsync(1);
        await BrowserSteps.ScreenshotAsync(page, app.ScreenshotDir, "admin-04-audit");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("audit-export").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("event.restore", csv);
        Assert.StartsWith("audit-", download.SuggestedFilename);
    }
}
