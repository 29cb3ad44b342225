using Bunit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Review;
using MediaFiles.Core.Timeline;
using MediaFiles.Web.Components.Media;
using MediaFiles.Web.Components.Pages.Review;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Components;

/// <summary>
/// A flag reaches the ward: the note written out on the card, replies and "resolved" in the review panel,
/// "Mark reviewed" only while unmarked, the "flagged, unresolved" filter and R in the viewer.
/// </summary>
public sealed class FlagReplyComponentTests : ComponentTestContext
{
    private static readonly DateTime T0 = new(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private const string LongNote = "Edges look red and the dressing hides the lower margin, please photograph again in daylight";

    private static ReviewFeedItem Entry(ReviewState? review) =>
        new(new TimelineItem(Guid.NewGuid(), EventType.Photo, T0, "Heel", Guid.NewGuid(), "Nora", T0, Guid.NewGuid(), 10, 10, 100, "f.jpg")
            { PatientId = Guid.NewGuid(), Review = review }, "Helena Marsh", "Surgical Ward 3B", null);

    [Fact]
    public void The_flag_note_is_written_out_in_the_chip_with_the_latest_reply_and_who_resolved_it()
    {
        var flag = new ReviewState(ReviewKind.Flagged, LongNote, "Dr. Ravi Menon", T0)
        {
            Replies = [new("Asked the night shift", "Nora Lindqvist", T0.AddMinutes(5)), new("Re-photographed at 14:10", "Nora Lindqvist", T0.AddMinutes(9))],
        };

        var cut = Render<ReviewMarkChip>(p => p.Add(c => c.Review, flag));

        Assert.Contains(LongNote, cut.Find("[data-testid=review-note]").TextContent);
        Assert.DoesNotContain(cut.FindAll("[title]"), e => e.GetAttribute("title")!.Contains("Edges"));
        Assert.Contains("Nora Lindqvist: Re-photographed at 14:10 (+1 earlier)", cut.Find("[data-testid=review-last-reply]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=review-resolved]"));
        Assert.Equal("false", cut.Find("[data-testid=review-mark]").GetAttribute("data-resolved"));

        cut.Render(p => p.Add(c => c.Review, flag with { ResolvedByName = "Nora Lindqvist", ResolvedAt = T0.AddMinutes(10) }));
        Assert.StartsWith("Resolved by Nora Lindqvist", cut.Find("[data-testid=review-resolved]").TextContent.Trim());
        Assert.Equal("true", cut.Find("[data-testid=review-mark]").GetAttribute("data-resolved"));

        // A "reviewed" mark's note stays for the detail views (ShowNote).
        cut.Render(p => p.Add(c => c.Review, new ReviewState(ReviewKind.Reviewed, "Fine", "Dr. Ravi Menon", T0)));
        Assert.Empty(cut.FindAll("[data-testid=review-note]"));
    }

    [Fact]
    public void Mark_reviewed_is_offered_only_while_the_entry_is_unmarked_the_chip_stays()
    {
        var cut = Render<ReviewCard>(p => p.Add(c => c.Entry, Entry(null)));
        Assert.Equal("Mark reviewed", cut.Find("[data-testid=mark-reviewed]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=review-mark]"));

        // Flagged is not reviewed: marking reviewed is how the reviewer clears it.
        cut.Render(p => p.Add(c => c.Entry, Entry(new ReviewState(ReviewKind.Flagged, "Blurred", "Dr. Ravi Menon", T0))));
        Assert.Single(cut.FindAll("[data-testid=mark-reviewed]"));

        cut.Render(p => p.Add(c => c.Entry, Entry(new ReviewState(ReviewKind.Reviewed, "", "Dr. Ravi Menon", T0))));
        Assert.Empty(cut.FindAll("[data-testid=mark-reviewed]"));
        Assert.Equal("Reviewed", cut.Find("[data-testid=review-mark]").GetAttribute("data-kind"));
        Assert.Single(cut.FindAll("[data-testid=flag]"));
    }

    [Fact]
    public async Task A_nurse_replies_and_resolves_in_the_review_panel_a_reviewer_only_resolves()
    {
        var nurse = User;
        var (photo, _) = await AddPhotoAsync(await PatientIdAsync("Helena Marsh"), DateTime.UtcNow.AddHours(-1), "Heel");
        await SignInAsync("reviewer");
        var reviewer = User;
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photo, ReviewKind.Flagged, LongNote));
        var asReviewer = Render<ReviewPanel>(p => p.Add(r => r.EventId, photo));
        asReviewer.WaitForAssertion(() => asReviewer.Find("[data-testid=flag-resolve]"), Wait);
        Assert.Empty(asReviewer.FindAll("[data-testid=flag-reply-send]"));

        await SignInAsync("nurse");
        var cut = Render<ReviewPanel>(p => p.Add(r => r.EventId, photo));
        cut.WaitForAssertion(() => Assert.Contains(LongNote, cut.Find("[data-testid=review-note]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=panel-flag]"));

        await cut.Find("textarea").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Re-photographed in daylight" });
        await cut.Find("button[data-testid=flag-reply-send]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Re-photographed in daylight", cut.Find("[data-testid=flag-reply]").TextContent), Wait);
        // The reviewer's open panel follows live.
        asReviewer.WaitForAssertion(() => Assert.Contains("Nora Lindqvist", asReviewer.Find("[data-testid=flag-reply]").TextContent), Wait);

        await cut.Find("button[data-testid=flag-resolve]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.StartsWith("Resolved by Nora Lindqvist", cut.Find("[data-testid=review-resolved]").TextContent.Trim()), Wait);
        Assert.Empty(cut.FindAll("[data-testid=flag-answer]"));
        asReviewer.WaitForAssertion(() => Assert.StartsWith("Resolved by Nora Lindqvist", asReviewer.Find("[data-testid=review-resolved]").TextContent.Trim()), Wait);
        Assert.Equal(1, await DbAsync(db => db.FlagReplies.CountAsync(r => r.AuthorId == nurse.Id && r.Resolves)));
    }

    [Fact]
    public async Task The_flagged_unresolved_filter_narrows_the_review_grid_and_a_live_resolution_shows()
    {
        var nurse = User;
        var helena = await PatientIdAsync("Helena Marsh");
        var (open, _) = await AddPhotoAsync(helena, DateTime.UtcNow.AddHours(-3), "Open");
        await Task.Delay(5); // distinct creation times: the feed orders by them (the system clock here)
        var (done, _) = await AddPhotoAsync(helena, DateTime.UtcNow.AddHours(-2), "Done");
        await Task.Delay(5); // distinct creation times, as above
        await AddPhotoAsync(helena, DateTime.UtcNow.AddHours(-1), "Unmarked");
        await SignInAsync("reviewer");
        var reviewer = User;
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, open, ReviewKind.Flagged, "Blurred"));
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, done, ReviewKind.Flagged, "Too dark"));
        await WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse, done));
        var cut = Render<ReviewPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=review-card]").Count), Wait);

        var openFlags = cut.FindComponents<MudBlazor.MudSwitch<bool>>().Single(s => s.Instance.Label == "Flagged, unresolved");
        await cut.InvokeAsync(() => openFlags.Instance.ValueChanged.InvokeAsync(true));
        cut.WaitForAssertion(() => Assert.Equal([open.ToString()], cut.FindAll("[data-testid=review-card]").Select(c => c.GetAttribute("data-event-id"))), Wait);
        Assert.Contains("Blurred", cut.Find("[data-testid=review-note]").TextContent);

        await WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(nurse, open, "Taken again"));
        await WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse, open));
        cut.WaitForAssertion(() => Assert.StartsWith("Resolved by Nora Lindqvist", cut.Find("[data-testid=review-resolved]").TextContent.Trim()), Wait);
        Assert.Contains("Taken again", cut.Find("[data-testid=review-last-reply]").TextContent);
    }

    [Fact]
    public async Task R_in_the_viewer_marks_the_photo_and_moves_to_the_next_not_yet_reviewed()
    {
        var helena = await PatientIdAsync("Helena Marsh");
        var (third, _) = await AddPhotoAsync(helena, DateTime.UtcNow.AddHours(-3), "Third");
        await Task.Delay(5); // distinct creation times: the feed orders by them (the system clock here)
        var (second, _) = await AddPhotoAsync(helena, DateTime.UtcNow.AddHours(-2), "Second");
        await Task.Delay(5); // distinct creation times, as above
        var (first, _) = await AddPhotoAsync(helena, DateTime.UtcNow.AddHours(-1), "First");
        await SignInAsync("reviewer");
        var reviewer = User;
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, second, ReviewKind.Reviewed, null));
        var cut = Render<ReviewPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=review-card]").Count), Wait);

        await cut.FindAll(".review-card-open")[0].ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("1 of 3", cut.Find("[data-testid=lightbox-counter]").TextContent.Trim()), Wait);
        Assert.Equal("Helena Marsh", cut.Find("[data-testid=lightbox-patient]").TextContent.Trim());
        Assert.StartsWith("Taken ", cut.Find("[data-testid=lightbox-taken]").TextContent.Trim());

        await cut.Find("[data-testid=lightbox]").KeyDownAsync(new KeyboardEventArgs { Key = "r" });

        cut.WaitForAssertion(() => Assert.Equal("3 of 3", cut.Find("[data-testid=lightbox-counter]").TextContent.Trim()), Wait);
        Assert.Equal(1, await DbAsync(db => db.ReviewMarks.CountAsync(m => m.EventId == first && m.Kind == ReviewKind.Reviewed)));
        Assert.Equal(0, await DbAsync(db => db.ReviewMarks.CountAsync(m => m.EventId == third)));
    }

    [Fact]
    public async Task The_viewer_shows_whose_photo_and_when_taken_and_a_swipe_steps()
    {
        var photos = Enumerable.Range(1, 3).Select(i => new Lightbox.LightboxPhoto(Guid.NewGuid(), $"Photo {i}", "Helena Marsh", T0)).ToList();
        var indexes = new List<int>();
        var cut = Render<Lightbox>(p => p.Add(l => l.Photos, photos).Add(l => l.Open, true).Add(l => l.Index, 0)
            .Add(l => l.IndexChanged, (int i) => indexes.Add(i)));

        Assert.Equal("Helena Marsh", cut.Find("[data-testid=lightbox-patient]").TextContent.Trim());
        Assert.Contains("2030", cut.Find("[data-testid=lightbox-taken]").TextContent);
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "import" && Equals(i.Arguments[0], "./js/swipe.js"));

        await cut.InvokeAsync(() => cut.Instance.StepFromSwipe(1));
        Assert.Equal("2 of 3", cut.Find("[data-testid=lightbox-counter]").TextContent.Trim());
        await cut.InvokeAsync(() => cut.Instance.StepFromSwipe(-1));
        Assert.Equal([1, 0], indexes);

        await cut.InvokeAsync(() => cut.Instance.ZoomFromGesture(true));
        Assert.Contains("lightbox-stage--zoomed", cut.Find(".lightbox-stage").ClassName);
    }
}
