using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Review;
using MediaFiles.Web.Components.Pages.Review;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Tests.Components;

/// <summary>The live review page's state without Blazor: ordering, live arrivals, placeholders, filters, marks and the viewer's next-unreviewed.</summary>
public sealed class ReviewFeedTests
{
    private static readonly Guid WardA = Guid.NewGuid(), WardB = Guid.NewGuid();
    private static readonly ReviewPatient Helena = new(Guid.NewGuid(), "Helena Marsh", WardA, "Surgical 3B");
    private static readonly ReviewPatient Jonas = new(Guid.NewGuid(), "Jonas Weber", WardB, "Medical 2A");
    private static readonly Guid Stranger = Guid.NewGuid(); // a patient the reviewer may not see
    private static readonly DateTime T0 = new(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static ReviewFeed NewFeed() => new([Helena, Jonas]);

    private static ReviewFeedItem Entry(ReviewPatient patient, int minute, EventType type = EventType.Photo, ReviewState? review = null, Guid? id = null, Guid? media = null) =>
        new(new TimelineItem(id ?? Guid.NewGuid(), type, T0, "", Guid.NewGuid(), "Nora", T0.AddMinutes(minute), media ?? Guid.NewGuid(), 10, 10, 100, "f.jpg")
            { PatientId = patient.Id, Review = review }, patient.Name, patient.WardName, null);

    private static ReviewState Reviewed => new(ReviewKind.Reviewed, "", "Dr. Menon", T0);

    private static IngestActivity Upload(ReviewPatient patient, UploadStage stage, string key = "f1", bool video = false) =>
        new(patient.Id, Guid.Empty, key, Guid.NewGuid(), stage, video);

    private static List<Guid> Ids(ReviewFeed feed) => feed.Items!.Select(i => i.Item.EventId).ToList();

    [Fact]
    public void Loaded_entries_are_newest_first_and_none_is_new()
    {
        var feed = NewFeed();
        Assert.Null(feed.Items);
        var old = Entry(Helena, 1);
        var newer = Entry(Jonas, 5);

        feed.Load([old, newer]);

        Assert.Equal([newer.Item.EventId, old.Item.EventId], Ids(feed));
        Assert.False(feed.IsNew(newer.Item.EventId));
        Assert.Equal(2, feed.Unreviewed);
    }

    [Fact]
    public void A_new_entry_goes_on_top_marked_new_and_replaces_its_patients_saved_placeholder()
    {
        var feed = NewFeed();
        feed.Load([Entry(Helena, 1)]);
        feed.Apply(Upload(Helena, UploadStage.Saved), T0);
        feed.Apply(Upload(Jonas, UploadStage.Saved, "other"), T0);
        var added = Entry(Helena, 9);

        feed.Apply(new TimelineChanged(Helena.Id, added.Item.EventId), added);

        Assert.Equal(added.Item.EventId, Ids(feed)[0]);
        Assert.True(feed.IsNew(added.Item.EventId));
        Assert.Equal([Jonas.Id], feed.Arriving.Select(a => a.PatientId));
    }

    [Fact]
    public void A_changed_entry_is_replaced_in_place_and_a_deleted_one_goes()
    {
        var feed = NewFeed();
        var first = Entry(Helena, 1);
        var second = Entry(Jonas, 2);
        feed.Load([first, second]);

        feed.Apply(new TimelineChanged(Helena.Id, first.Item.EventId), first with { Item = first.Item with { Description = "Edited" } });
        Assert.Equal([second.Item.EventId, first.Item.EventId], Ids(feed));
        Assert.Equal("Edited", feed.Items![1].Item.Description);
        Assert.False(feed.IsNew(first.Item.EventId));

        feed.Apply(new TimelineChanged(Jonas.Id, second.Item.EventId), null);
        Assert.Equal([first.Item.EventId], Ids(feed));
    }

    [Fact]
    public void The_filters_apply_to_live_entries_and_to_placeholders()
    {
        var feed = NewFeed();
        feed.SetPatient(Helena.Id);
        feed.SetType(EventType.VideoClip);
        feed.Load([]);

        Assert.False(feed.Apply(Upload(Jonas, UploadStage.Receiving), T0));
        Assert.False(feed.Apply(Upload(Helena, UploadStage.Receiving, "photo"), T0)); // a photo is not a clip
        Assert.True(feed.Apply(Upload(Helena, UploadStage.Checking, "clip", video: true), T0));
        var photo = Entry(Helena, 3);
        feed.Apply(new TimelineChanged(Helena.Id, photo.Item.EventId), photo);

        Assert.Empty(feed.Items!);
        Assert.Contains(feed.Arriving, a => a is { IsVideo: true, PatientName: "Helena Marsh", Stage: UploadStage.Checking });
        Assert.DoesNotContain(feed.Arriving, a => a.PatientId == Jonas.Id);
        Assert.Equal(new ReviewFilter(null, Helena.Id, EventType.VideoClip, false), feed.Filter);
    }

    [Fact]
    public void Not_yet_reviewed_only_keeps_a_reviewed_arrival_out()
    {
        var feed = NewFeed();
        feed.SetNotReviewedOnly(true);
        feed.Load([]);
        var reviewed = Entry(Helena, 1, review: Reviewed);

        feed.Apply(new TimelineChanged(Helena.Id, reviewed.Item.EventId), reviewed);

        Assert.Empty(feed.Items!);
        Assert.True(feed.IsEmpty);
    }

    [Fact]
    public void A_ward_that_is_not_the_chosen_patients_clears_the_patient()
    {
        var feed = NewFeed();
        feed.SetPatient(Helena.Id);

        feed.SetWard(WardA);
        Assert.Equal(Helena.Id, feed.PatientId);
        Assert.Equal([Helena], feed.PatientChoices);

        feed.SetWard(WardB);
        Assert.Null(feed.PatientId);
        Assert.Equal([Jonas], feed.PatientChoices);
    }

    [Fact]
    public void Placeholders_follow_their_stages_go_when_refused_and_expire()
    {
        var feed = NewFeed();
        feed.Load([]);
        Assert.False(feed.Sees(Stranger));

        feed.Apply(Upload(Helena, UploadStage.Receiving, "a"), T0);
        feed.Apply(Upload(Helena, UploadStage.Variants, "a"), T0.AddSeconds(5));
        feed.Apply(Upload(Jonas, UploadStage.Receiving, "b"), T0.AddSeconds(10));
        Assert.Equal([("b", UploadStage.Receiving), ("a", UploadStage.Variants)], feed.Arriving.Select(a => (a.Key[^1..], a.Stage)));
        Assert.Equal(T0, feed.Arriving.Single(a => a.Key.EndsWith('a')).Since);

        feed.Apply(Upload(Jonas, UploadStage.Refused, "b"), T0.AddSeconds(11));
        Assert.Equal(["a"], feed.Arriving.Select(a => a.Key[^1..]));

        feed.Apply(Upload(Jonas, UploadStage.Receiving, "c"), T0 + ReviewFeed.ArrivingTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(["c"], feed.Arriving.Select(a => a.Key[^1..]));
    }

    [Fact]
    public void Processing_moves_only_the_clip_it_is_about()
    {
        var feed = NewFeed();
        var media = Guid.NewGuid();
        feed.Load([Entry(Helena, 1, EventType.VideoClip, media: media), Entry(Jonas, 2, EventType.VideoClip)]);

        Assert.False(feed.Apply(new MediaProcessingChanged(Guid.NewGuid(), PlayableState.Running, 40, null)));
        Assert.True(feed.Apply(new MediaProcessingChanged(media, PlayableState.Running, 40, null)));

        Assert.Equal([(PlayableState.Running, 40)], feed.Items!.Where(i => i.Item.PlayableProgress > 0).Select(i => (i.Item.PlayableState, i.Item.PlayableProgress)));
    }

    [Fact]
    public void A_mark_shows_on_its_entry_and_ends_its_newness()
    {
        var feed = NewFeed();
        feed.Load([]);
        var added = Entry(Helena, 1);
        feed.Apply(new TimelineChanged(Helena.Id, added.Item.EventId), added);

        feed.SetReview(added.Item.EventId, Reviewed);

        Assert.Equal(ReviewKind.Reviewed, feed.Find(added.Item.EventId)!.Item.Review!.Kind);
        Assert.False(feed.IsNew(added.Item.EventId));
        Assert.Equal(0, feed.Unreviewed);
    }

    [Fact]
    public void The_viewer_shows_photos_and_series_and_finds_the_next_not_yet_reviewed_wrapping_round()
    {
        var feed = NewFeed();
        var clip = Entry(Helena, 6, EventType.VideoClip);
        var a = Entry(Helena, 5, review: Reviewed);
        var b = Entry(Jonas, 4, EventType.PhotoSeries);
        var c = Entry(Helena, 3, review: Reviewed);
        var d = Entry(Jonas, 2);
        feed.Load([clip, a, b, c, d]);

        Assert.Equal([a, b, c, d], feed.Viewable);
        Assert.Equal(-1, feed.ViewerIndexOf(clip.Item.EventId));
        Assert.Equal(3, feed.NextUnreviewed(1));
        Assert.Equal(1, feed.NextUnreviewed(3));

        feed.SetReview(b.Item.EventId, Reviewed);
        feed.SetReview(d.Item.EventId, Reviewed);
        Assert.Null(feed.NextUnreviewed(0));
    }

    [Fact]
    public void With_flagged_unresolved_only_a_new_entry_comes_in_only_as_an_open_flag_and_a_resolved_one_stays_showing_it()
    {
        var feed = NewFeed();
        feed.SetOpenFlagsOnly(true);
        Assert.True(feed.Filter.OpenFlagsOnly);
        var flag = new ReviewState(ReviewKind.Flagged, "Blurred", "Dr. Menon", T0);
        var shown = Entry(Helena, 1, review: flag);
        feed.Load([shown]);

        feed.Apply(new TimelineChanged(Helena.Id, Guid.NewGuid()), Entry(Helena, 2));
        feed.Apply(new TimelineChanged(Helena.Id, Guid.NewGuid()), Entry(Helena, 3, review: Reviewed));
        Assert.Equal([shown.Item.EventId], Ids(feed));

        var flaggedLive = Entry(Jonas, 4, review: flag);
        feed.Apply(new TimelineChanged(Jonas.Id, flaggedLive.Item.EventId), flaggedLive);
        Assert.Equal([flaggedLive.Item.EventId, shown.Item.EventId], Ids(feed));

        var resolved = shown with { Item = shown.Item with { Review = flag with { ResolvedByName = "Nora", ResolvedAt = T0.AddMinutes(5) } } };
        feed.Apply(new TimelineChanged(Helena.Id, shown.Item.EventId), resolved);
        Assert.Equal("Nora", feed.Find(shown.Item.EventId)!.Item.Review!.ResolvedByName);
    }
}
