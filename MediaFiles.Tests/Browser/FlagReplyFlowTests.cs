using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// A flag reaches the ward, with two people at once: the reviewer flags a photo with a note, the
/// nurse reads the note on the card on a phone, replies and resolves it on the photo's page, and the
/// reviewer's open review page shows the reply and who resolved it without a reload. Then the
/// viewer: an opaque backdrop, whose photo and when it was taken.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlagReplyFlowTests(BrowserAppFixture app) : IClassFixture<BrowserAppFixture>
{
    private const string Note = "Edges look red and the lower margin is under the dressing: photograph again in daylight";
    private static readonly BrowserNewContextOptions Desktop = new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } };
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true };

    [Fact]
    public async Task The_nurse_reads_the_flag_note_on_a_phone_replies_and_resolves_and_the_reviewer_sees_it_live()
    {
        await using var reviewerContext = await app.Browser.NewContextAsync(Desktop);
        await using var nurseContext = await app.Browser.NewContextAsync(Phone);

        var reviewer = await BrowserSteps.SignedInPageAsync(reviewerContext, app.BaseUrl, "reviewer", "/review");
        await BrowserSteps.WaitInteractiveAsync(reviewer);

        var nurse = await BrowserSteps.SignedInPageAsync(nurseContext, app.BaseUrl, "nurse", "/patients");
        await BrowserSteps.OpenLinkAsync(nurse, "Jonas Weber");
        await Assertions.Expect(nurse.Locator("[data-testid=drop-target][data-upload-ready=true]")).ToBeVisibleAsync();
        await BrowserSteps.DropFilesAsync(nurse, "[data-testid=drop-target]", new BrowserSteps.DroppedFile(BrowserSteps.Jpeg(1600, 1200, "#8E24AA", "#FFCC80"), "heel.jpg", "image/jpeg"));
        var nurseCard = nurse.GetByTestId("photo-card");
        await Assertions.Expect(nurseCard).ToHaveCountAsync(1);

        // The reviewer flags it with a note from the card.
        var card = reviewer.GetByTestId("review-card");
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await card.GetByTestId("flag").ClickAsync();
        await reviewer.GetByTestId("flag-note").FillAsync(Note);
        await reviewer.GetByTestId("flag-submit").ClickAsync();
        await Assertions.Expect(card.GetByTestId("review-mark")).ToHaveAttributeAsync("data-kind", "Flagged");

        // On the phone the whole note is on the card, wrapped: no tooltip needed.
        var cardNote = nurseCard.GetByTestId("review-note");
        await Assertions.Expect(cardNote).ToHaveTextAsync($"“{Note}”");
        await Assertions.Expect(cardNote).ToBeVisibleAsync();
        var box = await cardNote.BoundingBoxAsync();
        Assert.True(box!.Height > 30, $"the note wraps over lines (height {box.Height})");
        Assert.True(box.X + box.Width <= 390, "the note fits the phone's width");
        await BrowserSteps.ScreenshotAsync(nurse, app.ScreenshotDir, "flag-note-phone-card");

        // The nurse opens the photo, replies and resolves.
        await nurseCard.ClickAsync();
        await BrowserSteps.WaitInteractiveAsync(nurse);
        var panel = nurse.GetByTestId("review-panel");
        await Assertions.Expect(panel.GetByTestId("review-note")).ToContainTextAsync("lower margin");
        await panel.GetByTestId("flag-reply-text").FillAsync("Re-photographed at 14:10 in daylight, dressing off");
        await panel.GetByTestId("flag-reply-send").ClickAsync();
        await Assertions.Expect(panel.GetByTestId("flag-reply")).ToContainTextAsync("Re-photographed at 14:10 in daylight");
        await Assertions.Expect(card.GetByTestId("review-last-reply")).ToContainTextAsync("Nora Lindqvist: Re-photographed at 14:10");
        await panel.GetByTestId("flag-answer").ScrollIntoViewIfNeededAsync();
        await BrowserSteps.ScreenshotAsync(nurse, app.ScreenshotDir, "flag-reply-phone");

        await panel.GetByTestId("flag-resolve").ClickAsync();
        await Assertions.Expect(panel.GetByTestId("review-resolved")).ToContainTextAsync("Resolved by Nora Lindqvist");
        await Assertions.Expect(panel.GetByTestId("flag-answer")).ToHaveCountAsync(0);

        // The reviewer's page followed live.
        await Assertions.Expect(card.GetByTestId("review-resolved")).ToContainTextAsync("Resolved by Nora Lindqvist");
        await Assertions.Expect(card.GetByTestId("review-mark")).ToHaveAttributeAsync("data-resolved", "true");
        await BrowserSteps.ScreenshotAsync(reviewer, app.ScreenshotDir, "flag-resolved-reviewer");

        // The viewer: opaque, whose photo, when it was taken.
        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { NameRegex = new System.Text.RegularExpressions.Regex("^Open photo") }).ClickAsync();
        var lightbox = reviewer.GetByTestId("lightbox");
        await BrowserSteps.ExpectLoadedAsync(lightbox.GetByTestId("lightbox-image"), 1200);
        await Assertions.Expect(lightbox.GetByTestId("lightbox-patient")).ToHaveTextAsync("Jonas Weber");
        await Assertions.Expect(lightbox.GetByTestId("lightbox-taken")).ToContainTextAsync("Taken ");
        Assert.Equal("rgb(12, 16, 18)", await lightbox.EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor"));
        await BrowserSteps.ScreenshotAsync(reviewer, app.ScreenshotDir, "lightbox-opaque");
    }
}
