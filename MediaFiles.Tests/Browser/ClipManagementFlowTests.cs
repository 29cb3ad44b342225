using MediaFiles.Tests.Support;
using Microsoft.Playwright;
using static MediaFiles.Tests.Browser.BrowserSteps;

namespace MediaFiles.Tests.Browser;

/// <summary>A clip is as manageable as a photo: its card opens its page, the caption is edited there, a delete can be undone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClipManagementFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    [Fact]
    public async Task Nurse_opens_a_clip_from_its_card_edits_its_caption_deletes_it_and_undoes_that()
    {
        var clip = await TestClips.UniqueH264Mp4Async("wound.mp4");
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await SignedInPageAsync(context, app.BaseUrl, "nurse", "/patients");
        await OpenLinkAsync(page, "Helena Marsh");
        var patientUrl = page.Url;
        await Assertions.Expect(page.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();
        await DropFilesAsync(page, "[data-testid=drop-target]", new DroppedFile(clip.Bytes(), clip.FileName, clip.MimeType));
        await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=added]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        // The card is a link to the clip's page.
        var card = page.GetByTestId("video-card");
        await Assertions.Expect(card).ToHaveCountAsync(1);
        var href = await card.GetAttributeAsync("href");
        Assert.StartsWith("/videos/", href);
        await card.ClickAsync();
        await page.WaitForURLAsync($"**{href}");
        await WaitInteractiveAsync(page);

        // Its caption is edited there.
        var caption = page.Locator("input[data-testid=edit-caption], [data-testid=edit-caption] input").First;
        await caption.FillAsync("Wound edge, day 3");
        await page.GetByTestId("save-clip").ClickAsync();
        await Assertions.Expect(page.GetByTestId("clip-title")).ToHaveTextAsync("Wound edge, day 3");
        await ScreenshotAsync(page, app.ScreenshotDir, "clip-page");

        // Delete, then Undo in the snackbar: it is back, and so is its page.
        await page.GetByTestId("delete-clip").ClickAsync();
        var question = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(question).ToContainTextAsync("You can undo this for 10 seconds");
        await question.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(patientUrl);
        var undo = page.Locator(".undo-snackbar").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Undo" });
        await Assertions.Expect(undo).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("video-card")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        await ScreenshotAsync(page, app.ScreenshotDir, "undo-snackbar");

        await undo.ClickAsync();
        await page.WaitForURLAsync($"**{href}");
        await Assertions.Expect(page.GetByTestId("clip-title")).ToHaveTextAsync("Wound edge, day 3");
        await page.GotoAsync(patientUrl);
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("video-card")).ToContainTextAsync("Wound edge, day 3");
    }
}
