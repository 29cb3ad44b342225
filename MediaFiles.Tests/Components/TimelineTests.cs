using Bunit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Components.Media;

namespace MediaFiles.Tests.Components;

/// <summary>The patient timeline over the real Core: empty state, cards newest first, live updates from the bus.</summary>
public sealed class TimelineTests : ComponentTestContext
{
    private Guid _patientId;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _patientId = await PatientIdAsync("Helena Marsh");
    }

    private IRenderedComponent<Timeline> RenderTimeline(Guid? patientId = null) =>
        Render<Timeline>(p => p.Add(t => t.PatientId, patientId ?? _patientId));

    private static IReadOnlyList<string?> CardLinks(IRenderedComponent<Timeline> cut) =>
        cut.FindAll("[data-testid=photo-card]").Select(c => c.GetAttribute("href")).ToList();

    [Fact]
    public void Patient_without_photos_shows_the_empty_state()
    {
        var cut = RenderTimeline();

        cut.WaitForAssertion(() =>
        {
            var empty = cut.Find("[data-testid=empty-state]");
            Assert.Contains("No photos yet", empty.TextContent);
        }, Wait);
        Assert.Empty(cut.FindAll("[data-testid=photo-card]"));
        Assert.Empty(cut.FindAll("[data-testid=timeline]"));
    }

    [Fact]
    public async Task Shows_one_card_per_photo_newest_first_with_its_thumbnail()
    {
        var now = DateTime.UtcNow;
        var (older, olderMedia) = await AddPhotoAsync(_patientId, now.AddHours(-30), "Admission");
        var (newest, newestMedia) = await AddPhotoAsync(_patientId, now.AddMinutes(-10), "After dressing change");
        var (middle, middleMedia) = await AddPhotoAsync(_patientId, now.AddHours(-5), "");

        var cut = RenderTimeline();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=photo-card]").Count), Wait);
        Assert.Equal([$"/photos/{newest}", $"/photos/{middle}", $"/photos/{older}"], CardLinks(cut));
        Assert.Equal(
            [$"/media/{newestMedia}/thumbnail", $"/media/{middleMedia}/thumbnail", $"/media/{olderMedia}/thumbnail"],
            cut.FindAll("[data-testid=photo-thumbnail]").Select(i => i.GetAttribute("src")));
        var descriptions = cut.FindAll(".photo-card-desc").Select(d => d.TextContent.Trim()).ToList();
        Assert.Equal(["After dressing change", "Photo", "Admission"], descriptions);
        Assert.Empty(cut.FindAll(".photo-card--new"));
        Assert.Empty(cut.FindAll("[data-testid=empty-state]"));
        Assert.Contains("Nora Lindqvist", cut.Find("[data-testid=photo-card]").TextContent);
    }

    [Fact]
    public async Task Photos_of_other_patients_are_not_shown()
    {
        var other = await PatientIdAsync("Jonas Weber");
        await AddPhotoAsync(other, DateTime.UtcNow.AddHours(-1), "Jonas only");

        var cut = RenderTimeline();

        cut.WaitForAssertion(() => Assert.Contains("No photos yet", cut.Markup), Wait);
        Assert.DoesNotContain("Jonas only", cut.Markup);
    }

    [Fact]
    public async Task A_photo_added_while_open_appears_first_and_is_marked_new()
    {
        var (existing, _) = await AddPhotoAsync(_patientId, DateTime.UtcNow.AddHours(-2), "Existing");
        var cut = RenderTimeline();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=photo-card]")), Wait);

        // PhotoService publishes TimelineChanged for the patient once the photo is committed.
        var (added, addedMedia) = await AddPhotoAsync(_patientId, DateTime.UtcNow.AddMinutes(-1), "Just now");

        cut.WaitForAssertion(() => Assert.Equal([$"/photos/{added}", $"/photos/{existing}"], CardLinks(cut)), Wait);
        var cards = cut.FindAll("[data-testid=photo-card]");
        Assert.Contains("photo-card--new", cards[0].ClassList);
        Assert.DoesNotContain("photo-card--new", cards[1].ClassList);
        Assert.Equal($"/media/{addedMedia}/thumbnail", cards[0].QuerySelector("[data-testid=photo-thumbnail]")?.GetAttribute("src"));
        Assert.Contains("New", cards[0].TextContent);
    }

    [Fact]
    public async Task Only_a_change_for_this_patient_reloads_the_timeline()
    {
        var cut = RenderTimeline();
        cut.WaitForAssertion(() => Assert.Contains("No photos yet", cut.Markup), Wait);

        // A photo row written behind the component's back (no bus message from the Core).
        var staged = await StageAsync(TestUploads.UniqueJpeg(160, 120));
        var photoId = Guid.NewGuid();
        await DbAsync(async db =>
        {
            db.Photos.Add(new Photo
            {
                Id = photoId,
                PatientId = _patientId,
                MediaFileId = staged.MediaFileId,
                EventDateTime = DateTime.UtcNow.AddMinutes(-3),
                Description = "Quiet insert",
                CreatedById = User.Id,
                CreatedAt = DateTime.UtcNow,
                UpdatedById = User.Id,
                UpdatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        Bus.Publish(new TimelineChanged(await PatientIdAsync("Jonas Weber"), photoId));
        Assert.Contains("No photos yet", cut.Markup);

        Bus.Publish(new TimelineChanged(_patientId, photoId));

        cut.WaitForAssertion(() => Assert.Equal([$"/photos/{photoId}"], CardLinks(cut)), Wait);
        Assert.Contains("photo-card--new", cut.Find("[data-testid=photo-card]").ClassList);
        Assert.Empty(cut.FindAll("[data-testid=empty-state]"));
    }

    [Fact]
    public async Task A_deleted_photo_disappears_when_the_change_is_published()
    {
        var (keep, _) = await AddPhotoAsync(_patientId, DateTime.UtcNow.AddHours(-3), "Keep");
        var (remove, _) = await AddPhotoAsync(_patientId, DateTime.UtcNow.AddHours(-1), "Remove");
        var cut = RenderTimeline();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=photo-card]").Count), Wait);

        await WithAsync<MediaFiles.Core.Photos.PhotoService, bool>(async s => { await s.DeleteAsync(User, remove); return true; });

        cut.WaitForAssertion(() => Assert.Equal([$"/photos/{keep}"], CardLinks(cut)), Wait);
        Assert.Empty(cut.FindAll(".photo-card--new"));
    }
}
