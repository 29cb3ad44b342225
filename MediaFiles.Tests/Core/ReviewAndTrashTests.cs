using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Review;
using MediaFiles.Core.Series;
using MediaFiles.Core.Trash;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Tests.Core;

/// <summary>Review marks, the review feed, and soft delete with restore and purge.</summary>
public sealed class ReviewAndTrashTests
{
    private const string SurgicalPatient = "Helena Marsh";  // Surgical Ward 3B
    private const string OtherSurgicalPatient = "Jonas Weber";
    private const string MedicalPatient = "Samuel Okoro";   // Medical Ward 2A

    // ---------------------------------------------------------------- marks

    [Fact]
    public async Task A_reviewer_marks_a_photo_reviewed_it_shows_on_the_timeline_is_audited_and_published()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var reviewer = await host.UserAsync("reviewer");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await AddPhotoAsync(host, nurse, patient, 1);
        var published = new List<TimelineChanged>();
        using var _ = host.Services.GetRequiredService<IMediaEventBus>().Subscribe<TimelineChanged>(c => { lock (published) published.Add(c); return Task.CompletedTask; });

        host.Clock.Advance(TimeSpan.FromMinutes(5));
        var state = await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photoId, ReviewKind.Reviewed, null));

        Assert.Equal((ReviewKind.Reviewed, "Dr. Ravi Menon", host.Clock.UtcNow), (state.Kind, state.ReviewerName, state.At));
        var item = Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient)));
        Assert.Equal(ReviewKind.Reviewed, item.Review?.Kind);
        Assert.Equal("Dr. Ravi Menon", item.Review?.ReviewerName);
        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == ReviewService.ReviewedAction));
        Assert.Equal((reviewer.Id, photoId, patient, true), (audit.UserId, audit.EventId, audit.PatientId, audit.Success));
        Assert.Contains(published, c => c.EventId == photoId && c.PatientId == patient);
    }

    [Fact]
    public async Task A_flag_needs_a_short_note_and_the_newest_mark_is_the_entrys_state()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var reviewer = await host.UserAsync("reviewer");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await AddPhotoAsync(host, nurse, patient, 2);

        var noNote = await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photoId, ReviewKind.Flagged, "   ")));
        Assert.Contains("note", noNote.Message);
        var tooLong = await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photoId, ReviewKind.Flagged, new string('x', ReviewMark.NoteMaxLength + 1))));
        Assert.Contains($"at most {ReviewMark.NoteMaxLength}", tooLong.Message);
        Assert.Equal(0, await host.DbAsync(db => db.ReviewMarks.CountAsync()));

        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photoId, ReviewKind.Flagged, "  Edges look red, please re-photograph  "));
        var flagged = Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient)));
        Assert.Equal((ReviewKind.Flagged, "Edges look red, please re-photograph"), (flagged.Review!.Kind, flagged.Review.Note));

        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(admin, photoId, ReviewKind.Reviewed, "Seen again, fine"));
        var reviewed = Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient)));
        Assert.Equal((ReviewKind.Reviewed, "Ada Okafor"), (reviewed.Review!.Kind, reviewed.Review.ReviewerName));
        Assert.Equal(2, await host.DbAsync(db => db.ReviewMarks.CountAsync()));
        Assert.Equal(1, await host.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == ReviewService.FlaggedAction)));
    }

    [Fact]
    public async Task Ward_staff_cannot_mark_and_a_reviewer_cannot_mark_another_wards_patient()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var reviewer = await host.UserAsync("reviewer");
        var medicalPhoto = await AddPhotoAsync(host, nurse2A, await host.PatientIdAsync(MedicalPatient), 3);
        var surgicalPhoto = await AddPhotoAsync(host, nurse, await host.PatientIdAsync(SurgicalPatient), 4);

        var staff = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(nurse, surgicalPhoto, ReviewKind.Reviewed, null)));
        Assert.Contains("reviewers and admins", staff.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, medicalPhoto, ReviewKind.Reviewed, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, Guid.NewGuid(), ReviewKind.Reviewed, null)));
        Assert.Equal(0, await host.DbAsync(db => db.ReviewMarks.CountAsync()));
    }

    // ---------------------------------------------------------------- feed

    [Fact]
    public async Task The_feed_shows_the_reviewers_wards_newest_first_and_filters_by_patient_type_and_not_yet_reviewed()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var reviewer = await host.UserAsync("reviewer");
        var helena = await host.PatientIdAsync(SurgicalPatient);
        var jonas = await host.PatientIdAsync(OtherSurgicalPatient);
        var first = await AddPhotoAsync(host, nurse, helena, 10);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await AddPhotoAsync(host, nurse, jonas, 11);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var uploads = new List<Guid>();
        foreach (var seed in new[] { 12, 13 }) uploads.Add((await host.IngestAsync(TestImages.SmallJpeg(seed), $"s{seed}.jpg", "image/jpeg", nurse.Id)).UploadId);
        var series = await host.WithAsync<PhotoSeriesService, Guid>(s => s.CreateAsync(nurse, helena, uploads, "Dressing change", null));
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var otherWard = await AddPhotoAsync(host, nurse2A, await host.PatientIdAsync(MedicalPatient), 14);

        var all = await Feed(host, reviewer, new ReviewFilter());
        Assert.Equal([series, second, first], all.Select(i => i.Item.EventId));
        Assert.DoesNotContain(all, i => i.Item.EventId == otherWard);
        Assert.Equal(("Helena Marsh", "Surgical Ward 3B", 2), (all[0].PatientName, all[0].WardName, all[0].Item.PhotoCount));

        Assert.Equal([second], (await Feed(host, reviewer, new ReviewFilter(PatientId: jonas))).Select(i => i.Item.EventId));
        Assert.Equal([series], (await Feed(host, reviewer, new ReviewFilter(Type: EventType.PhotoSeries))).Select(i => i.Item.EventId));

        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, second, ReviewKind.Reviewed, null));
        Assert.Equal([series, first], (await Feed(host, reviewer, new ReviewFilter(NotYetReviewedOnly: true))).Select(i => i.Item.EventId));
        Assert.Equal(ReviewKind.Reviewed, (await Feed(host, reviewer, new ReviewFilter())).Single(i => i.Item.EventId == second).Item.Review?.Kind);

        await Assert.ThrowsAsync<ForbiddenException>(() => Feed(host, nurse, new ReviewFilter()));
    }

    // ---------------------------------------------------------------- soft delete, restore, purge

    [Fact]
    public async Task A_deleted_photo_leaves_the_feed_and_the_timeline_and_an_admin_restores_it_from_the_trash()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var reviewer = await host.UserAsync("reviewer");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await AddPhotoAsync(host, nurse, patient, 20);
        var mediaId = await host.DbAsync(db => db.Photos.Where(p => p.Id == photoId).Select(p => p.MediaFileId).SingleAsync());
        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photoId, ReviewKind.Reviewed, null));

        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, photoId));

        Assert.Empty(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient)));
        Assert.Empty(await Feed(host, reviewer, new ReviewFilter()));
        Assert.Null(await host.WithAsync<MediaAccess, ReadableMedia?>(a => a.FindReadableAsync(nurse, mediaId, default)));
        Assert.NotNull(await host.WithAsync<MediaAccess, ReadableMedia?>(a => a.FindReadableAsync(admin, mediaId, default)));
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<DeletedEvents, IReadOnlyList<DeletedItem>>(t => t.ListAsync(nurse)));

        var trash = Assert.Single(await host.WithAsync<DeletedEvents, IReadOnlyList<DeletedItem>>(t => t.ListAsync(admin)));
        Assert.Equal((photoId, "Helena Marsh", "Nora Lindqvist", mediaId), (trash.EventId, trash.PatientName, trash.DeletedByName, trash.MediaFileId));
        Assert.Equal(host.Clock.UtcNow + host.Options.DeletedRetention, trash.RestorableUntil);

        host.Clock.Advance(host.Options.UndoWindow + TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<DeletedEvents>(t => t.RestoreAsync(nurse, photoId)));
        host.Clock.Advance(TimeSpan.FromDays(29));
        await host.WithAsync<DeletedEvents>(t => t.RestoreAsync(admin, photoId));

        var back = Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient)));
        Assert.Equal((photoId, ReviewKind.Reviewed), (back.EventId, back.Review?.Kind));
        Assert.Empty(await host.WithAsync<DeletedEvents, IReadOnlyList<DeletedItem>>(t => t.ListAsync(admin)));
        Assert.True(await host.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == DeletedEvents.RestoreAction && a.EventId == photoId && a.UserId == admin.Id)));
        Assert.Equal(4, host.CountStoredFiles());
    }

    [Fact]
    public async Task Past_the_retention_a_restore_is_refused_and_the_purge_removes_only_what_is_past_it()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var old = await AddPhotoAsync(host, nurse, patient, 30);
        var recent = await AddPhotoAsync(host, nurse, patient, 31);
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, old));
        host.Clock.Advance(TimeSpan.FromDays(20));
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(admin, recent));
        host.Clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<DeletedEvents>(t => t.RestoreAsync(admin, old)));
        Assert.Contains("30 days", refused.Message);

        var progress = new List<int>();
        var result = await host.WithAsync<DeletedEvents, PurgeResult>(t => t.PurgeExpiredAsync(new SyncProgress(progress)));

        Assert.Equal((1, 1, 4), (result.EventsPurged, result.BlobsDeleted, result.FilesDeleted));
        Assert.Equal(100, progress.Last());
        Assert.False(await host.DbAsync(db => db.Events.IgnoreQueryFilters().AnyAsync(e => e.Id == old)));
        Assert.True(await host.DbAsync(db => db.Events.IgnoreQueryFilters().AnyAsync(e => e.Id == recent)));
        Assert.Equal(4, host.CountStoredFiles());
        // Running it again finds nothing more to do.
        Assert.Equal(0, (await host.WithAsync<DeletedEvents, PurgeResult>(t => t.PurgeExpiredAsync(null))).EventsPurged);
        await host.WithAsync<DeletedEvents>(t => t.RestoreAsync(admin, recent));
        Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient)));
    }

    [Fact]
    public async Task A_deleted_series_keeps_its_photos_until_the_purge_and_comes_back_whole()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = new List<Guid>();
        foreach (var seed in new[] { 40, 41, 42 }) uploads.Add((await host.IngestAsync(TestImages.SmallJpeg(seed), $"s{seed}.jpg", "image/jpeg", nurse.Id)).UploadId);
        var series = await host.WithAsync<PhotoSeriesService, Guid>(s => s.CreateAsync(nurse, patient, uploads, "Day 1", null));

        await host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(nurse, series));

        Assert.Equal(12, host.CountStoredFiles());
        var item = Assert.Single(await host.WithAsync<DeletedEvents, IReadOnlyList<DeletedItem>>(t => t.ListAsync(admin)));
        Assert.Equal((EventType.PhotoSeries, 3, "Day 1"), (item.Type, item.PhotoCount, item.Description));
        await host.WithAsync<DeletedEvents>(t => t.RestoreAsync(admin, series));
        Assert.Equal(3, Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient))).PhotoCount);

        await host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(admin, series));
        await host.PurgeAfterRetentionAsync();
        await host.AssertNothingLeftBehindAsync();
    }

    private sealed class SyncProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }

    private static Task<IReadOnlyList<ReviewFeedItem>> Feed(CoreTestHost host, CurrentUser user, ReviewFilter filter) =>
        host.WithAsync<ReviewFeedQuery, IReadOnlyList<ReviewFeedItem>>(q => q.GetAsync(user, filter));

    private static async Task<Guid> AddPhotoAsync(CoreTestHost host, CurrentUser user, Guid patientId, int seed)
    {
        var upload = await host.IngestAsync(TestImages.SmallJpeg(seed), $"photo-{seed}.jpg", "image/jpeg", user.Id);
        return await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(user, patientId, upload.UploadId, null, null));
    }
}
