using Bunit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Review;
using MediaFiles.Web.Components.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Components;

/// <summary>The review panel of the detail pages: the marks, newest first and live; buttons for reviewers only.</summary>
public sealed class ReviewPanelTests : ComponentTestContext
{
    [Fact]
    public async Task Ward_staff_see_the_marks_live_but_no_buttons()
    {
        var (photo, _) = await AddPhotoAsync(await PatientIdAsync("Helena Marsh"), DateTime.UtcNow.AddHours(-1), "Heel");
        var cut = Render<ReviewPanel>(p => p.Add(r => r.EventId, photo));
        cut.WaitForAssertion(() => Assert.Equal("Not reviewed yet.", cut.Find("[data-testid=review-none]").TextContent.Trim()), Wait);
        Assert.Empty(cut.FindAll("[data-testid=panel-mark-reviewed]"));

        await SignInAsync("reviewer");
        var reviewer = User;
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photo, ReviewKind.Flagged, "Photograph again"));
        await Task.Delay(5); // distinct mark times: the panel orders by them (the system clock here)
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photo, ReviewKind.Reviewed, null));

        cut.WaitForAssertion(() => Assert.Equal(["Reviewed", "Flagged"],
            cut.FindAll("[data-testid=review-history] [data-testid=review-mark]").Select(m => m.GetAttribute("data-kind"))), Wait);
        Assert.Contains("Photograph again", cut.Find("[data-testid=review-note]").TextContent);
    }

    [Fact]
    public async Task A_reviewer_marks_from_the_panel()
    {
        var (photo, _) = await AddPhotoAsync(await PatientIdAsync("Helena Marsh"), DateTime.UtcNow.AddHours(-1), "Heel");
        await SignInAsync("reviewer");
        var cut = Render<ReviewPanel>(p => p.Add(r => r.EventId, photo));
        cut.WaitForAssertion(() => cut.Find("[data-testid=panel-mark-reviewed]"), Wait);

        await cut.Find("[data-testid=panel-mark-reviewed]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Reviewed", cut.Find("[data-testid=review-mark]").GetAttribute("data-kind")), Wait);
        Assert.Equal(1, await DbAsync(db => db.ReviewMarks.CountAsync(m => m.EventId == photo && m.ReviewerId == User.Id)));
    }
}
