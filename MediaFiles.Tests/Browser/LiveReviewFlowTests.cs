using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// The reviewer's main flow with two people at once: a nurse uploads, the reviewer's open live
/// page shows the new thumbnail without a reload, the reviewer marks it, and the nurse's open
/// timeline shows the mark.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveReviewFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    private static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } };

    [Fact]
    public async Task A_nurses_upload_appears_live_for_the_reviewer_whose_mark_appears_live_on_the_nurses_timeline()
    {
        await using var reviewerContext = await app.Browser.NewContextAsync(Desktop);
        await using var nurseContext = await app.Browser.NewContextAsync(Desktop);

        var reviewer = await BrowserSteps.SignedInPageAsync(reviewerContext, app.BaseUrl, "reviewer", "/review");
        await Assertions.Expect(reviewer.GetByTestId("live-indicator")).ToBeVisibleAsync();
        await Assertions.Expect(reviewer.GetByTestId("empty-state")).ToContainTextAsync("No media yet");
        await BrowserSteps.ScreenshotAsync(reviewer, app.ScreenshotDir, "review-01-empty");

        var nurse = await BrowserSteps.SignedInPageAsync(nurseContext, app.BaseUrl, "nurse", "/patients");
        await BrowserSteps.OpenLinkAsync(nurse, "Jonas Weber");
        await Assertions.Expect(nurse.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();
        await nurse.GetByLabel("Description (optional)").FillAsync("Sacral wound, day 2");
        await BrowserSteps.DropFilesAsync(nurse, "[data-testid=drop-target]", new BrowserSteps.DroppedFile(BrowserSteps.Jpeg(1600, 1200, "#8E24AA", "#FFCC80"), "sacrum.jpg", "image/jpeg"));
        await Assertions.Expect(nurse.GetByTestId("upload-item")).ToHaveAttributeAsync("data-state", "added");
        var nurseCard = nurse.GetByTestId("photo-card");
        await Assertions.Expect(nurseCard).ToHaveCountAsync(1);
        await Assertions.Expect(nurseCard.GetByTestId("review-mark")).ToHaveCountAsync(0);

        // The reviewer's page got it without a reload: a real thumbnail, whose patient it is, what it says.
        var card = reviewer.GetByTestId("review-card");
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await Assertions.Expect(card.GetByTestId("review-patient")).ToHaveTextAsync("Jonas Weber");
        await Assertions.Expect(card).ToContainTextAsync("Sacral wound, day 2");
        var thumbnail = card.GetByTestId("photo-thumbnail");
        await BrowserSteps.ExpectLoadedAsync(thumbnail, 200);
        await Assertions.Expect(reviewer.GetByTestId("unreviewed-count")).ToHaveTextAsync("1 not yet reviewed of 1 shown");
        await BrowserSteps.ScreenshotAsync(reviewer, app.ScreenshotDir, "review-02-arrived");

        // Mark it reviewed from the card: the nurse's open timeline shows it.
        await card.GetByTestId("mark-reviewed").ClickAsync();
        await Assertions.Expect(card.GetByTestId("review-mark")).ToHaveAttributeAsync("data-kind", "Reviewed");
        await Assertions.Expect(nurseCard.GetByTestId("review-mark")).ToHaveTextAsync("Reviewed · Dr. Ravi Menon");
        await BrowserSteps.ScreenshotAsync(nurse, app.ScreenshotDir, "review-03-nurse-sees-mark");

        // Open it full size and flag it with a note from the lightbox.
        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { NameRegex = new System.Text.RegularExpressions.Regex("^Open photo") }).ClickAsync();
        var lightbox = reviewer.GetByTestId("lightbox");
        await Assertions.Expect(lightbox).ToBeVisibleAsync();
        await BrowserSteps.ExpectLoadedAsync(lightbox.GetByTestId("lightbox-image"), 1200);
        await BrowserSteps.ScreenshotAsync(reviewer, app.ScreenshotDir, "review-04-lightbox");
        // The keyboard works the feed: F opens the flag note.
        await lightbox.PressAsync("f");
        await reviewer.GetByTestId("flag-note").FillAsync("Edges look red: photograph again tomorrow");
        await reviewer.GetByTestId("flag-submit").ClickAsync();
        await Assertions.Expect(lightbox.GetByTestId("review-mark")).ToHaveAttributeAsync("data-kind", "Flagged");
        await lightbox.GetByTestId("lightbox-close").ClickAsync();
        await Assertions.Expect(card.GetByTestId("review-note")).ToHaveTextAsync("“Edges look red: photograph again tomorrow”");

        await Assertions.Expect(nurseCard.GetByTestId("review-mark")).ToHaveTextAsync("Flagged · Dr. Ravi Menon");
        await Assertions.Expect(nurseCard.GetByTestId("review-note")).ToHaveTextAsync("“Edges look red: photograph again tomorrow”");
        await BrowserSteps.ScreenshotAsync(reviewer, app.ScreenshotDir, "review-05-flagged");

        // On a phone the card, its mark and its two actions are all there.
        await using var phoneContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true });
        var phone = await BrowserSteps.SignedInPageAsync(phoneContext, app.BaseUrl, "reviewer", "/review");
        var phoneCard = phone.GetByTestId("review-card");
        await Assertions.Expect(phoneCard.GetByTestId("review-mark")).ToHaveAttributeAsync("data-kind", "Flagged");
        await Assertions.Expect(phoneCard.GetByTestId("mark-reviewed")).ToBeVisibleAsync();
        await Assertions.Expect(phoneCard.GetByTestId("flag")).ToBeVisibleAsync();
        await BrowserSteps.ScreenshotAsync(phone, app.ScreenshotDir, "review-06-phone");
    }
}
