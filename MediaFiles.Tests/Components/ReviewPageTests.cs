using Bunit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Review;
using MediaFiles.Web.Components.Pages.Review;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Components;

/// <summary>The live review grid over the real Core and bus: it reacts to published events without a reload.</summary>
public sealed class ReviewPageTests : ComponentTestContext
{
    private Guid _helena, _jonas, _samuel;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _helena = await PatientIdAsync("Helena Marsh");
        _jonas = await PatientIdAsync("Jonas Weber");
        _samuel = await PatientIdAsync("Samuel Okoro"); // Medical Ward 2A: not the reviewer's
    }

    private static IReadOnlyList<string?> CardIds(IRenderedComponent<ReviewPage> cut) =>
        cut.FindAll("[data-testid=review-card]").Select(c => c.GetAttribute("data-event-id")).ToList();

    [Fact]
    public async Task Shows_the_newest_media_of_the_reviewers_wards_and_an_empty_state_before_any()
    {
        await SignInAsync("reviewer");
        var empty = Render<ReviewPage>();
        empty.WaitForAssertion(() => Assert.Contains("No media yet", empty.Find("[data-testid=empty-state]").TextContent), Wait);

        await SignInAsync("nurse");
        var (first, _) = await AddPhotoAsync(_helena, DateTime.UtcNow.AddHours(-2), "Heel");
        await Task.Delay(5); // distinct creation times: the feed orders by them (the system clock here)
        var (second, _) = await AddPhotoAsync(_jonas, DateTime.UtcNow.AddHours(-3), "Sacrum");
        await SignInAsync("admin");
        await AddPhotoAsync(_samuel, DateTime.UtcNow.AddHours(-1), "Other ward");
        await SignInAsync("reviewer");

        var cut = Render<ReviewPage>();

        cut.WaitForAssertion(() => Assert.Equal([second.ToString(), first.ToString()], CardIds(cut)), Wait);
        Assert.Equal(["Jonas Weber", "Helena Marsh"], cut.FindAll("[data-testid=review-patient]").Select(e => e.TextContent.Trim()));
        Assert.Equal("2 not yet reviewed of 2 shown", cut.Find("[data-testid=unreviewed-count]").TextContent.Trim());
        Assert.Empty(cut.FindAll(".review-card--new"));
    }

    [Fact]
    public async Task A_photo_added_elsewhere_appears_on_top_marked_new_and_a_deleted_one_goes()
    {
        var (older, _) = await AddPhotoAsync(_helena, DateTime.UtcNow.AddHours(-2), "Older");
        var nurse = User;
        await SignInAsync("reviewer");
        var cut = Render<ReviewPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=review-card]")), Wait);

        // The nurse adds one: the Core publishes on the bus, the open page takes it in.
        var upload = await WithAsync<MediaFiles.Core.Ingest.MediaIngest, MediaFiles.Core.Ingest.IngestResult>(p => p.IngestAsync(
            new MemoryStream(Support.TestUploads.UniqueJpeg(160, 120)), new MediaFiles.Core.Ingest.IngestRequest(nurse.Id, "new.jpg", "image/jpeg", MediaFiles.Core.Storage.MediaCategory.Photos), null, default));
        var added = await WithAsync<PhotoService, Guid>(s => s.CreateAsync(nurse, _jonas, upload.UploadId, "Just in", null));

        cut.WaitForAssertion(() => Assert.Equal([added.ToString(), older.ToString()], CardIds(cut)), Wait);
        Assert.Contains("review-card--new", cut.Find($"[data-event-id='{added}']").ClassName);
        Assert.Contains("Just in", cut.Find($"[data-event-id='{added}']").TextContent);

        // And deletes the older one: it leaves the grid.
        await WithAsync<PhotoService, bool>(async s => { await s.DeleteAsync(nurse, older); return true; });
        cut.WaitForAssertion(() => Assert.Equal([added.ToString()], CardIds(cut)), Wait);
    }

    [Fact]
    public async Task An_upload_under_way_shows_its_stage_for_visible_patients_only_and_goes_when_refused()
    {
        await SignInAsync("reviewer");
        var cut = Render<ReviewPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=empty-state]"), Wait);
        var batch = Guid.NewGuid();

        Bus.Publish(new IngestActivity(_samuel, batch, "other-ward", Guid.NewGuid(), UploadStage.Receiving, false));
        Bus.Publish(new IngestActivity(_helena, batch, "f1", Guid.NewGuid(), UploadStage.Receiving, false));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=arriving-card]")), Wait);
        Assert.Contains("A photo for Helena Marsh", cut.Find("[data-testid=arriving-card]").TextContent);
        Assert.Contains("Uploading…", cut.Find("[data-testid=arriving-card]").TextContent);

        Bus.Publish(new IngestActivity(_helena, batch, "f1", Guid.NewGuid(), UploadStage.Variants, false));
        cut.WaitForAssertion(() => Assert.Contains("Making thumbnails…", cut.Find("[data-testid=arriving-card]").TextContent), Wait);

        Bus.Publish(new IngestActivity(_helena, batch, "f1", Guid.NewGuid(), UploadStage.Refused, false));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=arriving-card]")), Wait);
    }

    [Fact]
    public async Task Marking_reviewed_on_a_card_saves_the_mark_and_shows_it()
    {
        var (photo, _) = await AddPhotoAsync(_helena, DateTime.UtcNow.AddHours(-1), "Heel");
        await SignInAsync("reviewer");
        var cut = Render<ReviewPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=mark-reviewed]"), Wait);

        await cut.Find("[data-testid=mark-reviewed]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Reviewed", cut.Find("[data-testid=review-mark]").GetAttribute("data-kind")), Wait);
        Assert.Contains("Dr. Ravi Menon", cut.Find("[data-testid=review-mark]").TextContent);
        Assert.Equal("0 not yet reviewed of 1 shown", cut.Find("[data-testid=unreviewed-count]").TextContent.Trim());
        var mark = await DbAsync(db => db.ReviewMarks.AsNoTracking().SingleAsync());
        Assert.Equal((photo, ReviewKind.Reviewed, User.Id), (mark.EventId, mark.Kind, mark.ReviewerId));
    }

    [Fact]
    public async Task The_filters_narrow_the_grid_by_patient_type_and_not_yet_reviewed()
    {
        var (heel, _) = await AddPhotoAsync(_helena, DateTime.UtcNow.AddHours(-2), "Heel");
        await Task.Delay(5); // distinct creation times: the feed orders by them (the system clock here)
        var (sacrum, _) = await AddPhotoAsync(_jonas, DateTime.UtcNow.AddHours(-1), "Sacrum");
        await SignInAsync("reviewer");
        var reviewer = User;
        await WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, sacrum, ReviewKind.Reviewed, null));
        var cut = Render<ReviewPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=review-card]").Count), Wait);

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));
        cut.WaitForAssertion(() => Assert.Equal([heel.ToString()], CardIds(cut)), Wait);

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(false));
        var patient = cut.FindComponents<MudBlazor.MudSelect<Guid?>>().Single(s => s.Instance.Label == "Patient");
        await cut.InvokeAsync(() => patient.Instance.ValueChanged.InvokeAsync(_jonas));
        cut.WaitForAssertion(() => Assert.Equal([sacrum.ToString()], CardIds(cut)), Wait);

        var type = cut.FindComponent<MudBlazor.MudSelect<EventType?>>();
        await cut.InvokeAsync(() => type.Instance.ValueChanged.InvokeAsync(EventType.VideoClip));
        cut.WaitForAssertion(() => Assert.Contains("No media yet", cut.Find("[data-testid=empty-state]").TextContent), Wait);
    }

    [Fact]
    public async Task The_page_gives_back_its_subscriptions_when_it_goes()
    {
        await SignInAsync("reviewer");
        var before = Bus.SubscriptionCount;
        var cut = Render<ReviewPage>();
        cut.WaitForAssertion(() => Assert.Equal(before + 3, Bus.SubscriptionCount), Wait);

        await DisposeComponentsAsync();

        Assert.Equal(before, Bus.SubscriptionCount);
    }
}
