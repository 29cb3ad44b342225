using Bunit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Review;
using MediaFiles.Core.Timeline;
using MediaFiles.Web.Auth;
using MediaFiles.Web.Components.Media;

namespace MediaFiles.Tests.Components;

/// <summary>The timeline's filter and date jump as a plain class, and in the component: one grid, day labels in the flow.</summary>
public sealed class TimelineFilterTests : ComponentTestContext
{
    private static TimelineItem Item(EventType type, ReviewKind? review = null) =>
        new(Guid.NewGuid(), type, DateTime.UtcNow, "", Guid.NewGuid(), "N", DateTime.UtcNow, Guid.NewGuid(), 10, 10, 100, "x.jpg")
        {
            Review = review is { } kind ? new ReviewState(kind, "", "R", DateTime.UtcNow) : null,
        };

    [Fact]
    public void The_filter_picks_a_kind_and_a_review_status()
    {
        var photo = Item(EventType.Photo);
        var flaggedSeries = Item(EventType.PhotoSeries, ReviewKind.Flagged);
        var reviewedClip = Item(EventType.VideoClip, ReviewKind.Reviewed);
        var clip = Item(EventType.VideoClip);
        TimelineItem[] all = [photo, flaggedSeries, reviewedClip, clip];

        var filter = new TimelineFilter();
        Assert.False(filter.IsActive);
        Assert.Equal(all, filter.Apply(all));

        filter.Kind = TimelineKind.Clips;
        Assert.Equal([reviewedClip, clip], filter.Apply(all));
        filter.Status = TimelineStatus.NotReviewed;
        Assert.Equal([clip], filter.Apply(all));
        filter.Kind = TimelineKind.All;
        Assert.Equal([photo, clip], filter.Apply(all));
        filter.Status = TimelineStatus.Flagged;
        Assert.Equal([flaggedSeries], filter.Apply(all));
        filter.Kind = TimelineKind.Photos;
        Assert.Empty(filter.Apply(all));
        Assert.True(filter.IsActive);
        filter.Clear();
        Assert.False(filter.IsActive);
    }

    [Theory]
    [InlineData("2026-03-14", "2026-03-14")] // a day with items
    [InlineData("2026-03-13", "2026-03-12")] // the nearest earlier one
    [InlineData("2026-03-11", "2026-03-10")]
    [InlineData("2026-04-01", "2026-03-14")] // after the newest: the newest
    [InlineData("2026-01-01", "2026-03-10")] // before the oldest: the oldest
    public void A_date_jump_lands_on_that_day_or_the_nearest_earlier_one(string wanted, string expected)
    {
        DateOnly[] days = [new(2026, 3, 14), new(2026, 3, 10), new(2026, 3, 12)];
        Assert.Equal(DateOnly.Parse(expected), TimelineFilter.DayToJumpTo(days, DateOnly.Parse(wanted)));
        Assert.Null(TimelineFilter.DayToJumpTo([], DateOnly.Parse(wanted)));
    }

    [Fact]
    public async Task Cards_of_all_days_flow_in_one_grid_with_the_day_label_on_each_days_first_card()
    {
        var patient = await PatientIdAsync("Helena Marsh");
        var now = DateTime.UtcNow;
        await AddPhotoAsync(patient, now.AddMinutes(-30), "Today 1");
        await AddPhotoAsync(patient, now.AddMinutes(-20), "Today 2");
        await AddPhotoAsync(patient, now.AddDays(-3), "Earlier");

        var cut = Render<Timeline>(p => p.Add(t => t.PatientId, patient));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=photo-card]").Count), Wait);
        var grid = Assert.Single(cut.FindAll(".timeline-flow"));
        Assert.Equal(3, grid.QuerySelectorAll(".timeline-cell").Length);
        var labels = cut.FindAll("[data-testid=timeline-day]");
        Assert.Equal(2, labels.Count);
        Assert.Equal("Today", labels[0].TextContent.Trim());
        Assert.Equal(2, cut.FindAll(".timeline-cell--first").Count);
        Assert.All(cut.FindAll(".timeline-cell--first"), c => Assert.StartsWith("day-", c.Id));
    }

    [Fact]
    public async Task The_filter_bar_narrows_the_timeline_and_a_date_jump_scrolls_to_the_nearest_earlier_day()
    {
        var patient = await PatientIdAsync("Helena Marsh");
        var now = DateTime.UtcNow;
        var (flagged, _) = await AddPhotoAsync(patient, now.AddMinutes(-30), "Flag me");
        await AddPhotoAsync(patient, now.AddDays(-5), "Older");
        await SignInAsync("reviewer");
        var reviewer = User;
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, flagged, ReviewKind.Flagged, "Again"));
        var scroll = JSInterop.SetupModule("./js/timeline.js").SetupVoid("scrollToDay", _ => true);
        scroll.SetVoidResult();

        var cut = Render<Timeline>(p => p.Add(t => t.PatientId, patient));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=photo-card]").Count), Wait);

        await cut.Find("[data-testid=filter-review-flagged]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=photo-card]")), Wait);
        Assert.Contains("Flag me", cut.Find("[data-testid=photo-card]").TextContent);

        await cut.Find("[data-testid=filter-review-notreviewed]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Older", cut.Find("[data-testid=photo-card]").TextContent), Wait);

        await cut.Find("[data-testid=filter-kind-clips]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Nothing matches", cut.Markup), Wait);
        await cut.Find("[data-testid=filter-clear]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=photo-card]").Count), Wait);

        // Two days after the older photo: it lands on the older photo's day.
        var older = DateOnly.FromDateTime(Services.GetService<MediaFiles.Core.WardClock>()!.ToLocal(now.AddDays(-5)));
        await cut.Find("[data-testid=timeline-jump]").ChangeAsync(new() { Value = older.AddDays(2).ToString("yyyy-MM-dd") });
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"#{TimelineFilter.DayAnchor(older)} .timeline-day--jumped")), Wait);
        var call = Assert.Single(scroll.Invocations);
        Assert.Equal(TimelineFilter.DayAnchor(older), call.Arguments[0]);
    }

    [Theory]
    [InlineData(Roles.WardStaff, "Ward staff")]
    [InlineData(Roles.Reviewer, "Reviewer")]
    [InlineData(Roles.Admin, "Admin")]
    public void Roles_are_said_in_words(string role, string words) => Assert.Equal(words, RoleWords.For(role));

    [Theory]
    [InlineData("/admin", "This page is for admins.")]
    [InlineData("/admin/dashboard", "This page is for admins.")]
    [InlineData("/admin/maintenance?x=1", "This page is for admins.")]
    [InlineData("/review", "This page is for reviewers and admins.")]
    [InlineData("/patients", null)]
    [InlineData("/nowhere", null)]
    public void A_page_says_who_it_is_for(string path, string? message) =>
        Assert.Equal(message, RoleWords.PageIsFor(RoleWords.RolesOfPage(path)));
}
