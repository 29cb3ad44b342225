using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Series;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using ImageMagick;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Core;

/// <summary>Staged uploads for series tests: tiny distinct JPEGs ingested by the real pipeline under photo_series/.</summary>
internal static class SeriesStaging
{
    private static readonly Lazy<byte[]> Base = new(() =>
    {
        using var image = new MagickImage(new MagickColor(90, 140, 200), 16, 16);
        image.Format = MagickFormat.Jpeg;
        image.Quality = 80;
        return image.ToByteArray();
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static int _counter;

    /// <summary>
    /// A 16 × 16 JPEG whose bytes no other call returns: the same small image with a unique COM
    /// (comment) segment right after the SOI marker, so no Magick.NET work per call.
    /// </summary>
    public static byte[] TinyJpeg()
    {
        var payload = System.Text.Encoding.ASCII.GetBytes($"series-test-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}");
        var length = payload.Length + 2;
        var jpeg = Base.Value;
        return [.. jpeg.AsSpan(0, 2), 0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }

    /// <summary>Runs the ingest pipeline for a series upload (kind=series), in its own scope.</summary>
    public static async Task<IngestResult> StageAsync(CoreTestHost host, CurrentUser user, byte[]? bytes = null, string? fileName = null)
    {
        await using var body = new MemoryStream(bytes ?? TinyJpeg());
        return await host.WithAsync<MediaIngest, IngestResult>(p => p.IngestAsync(body,
            new IngestRequest(user.Id, fileName ?? "series.jpg", "image/jpeg", MediaCategory.PhotoSeries), null, CancellationToken.None));
    }

    public static async Task<List<IngestResult>> StageManyAsync(CoreTestHost host, CurrentUser user, int count)
    {
        var uploads = new List<IngestResult>(count);
        for (var i = 0; i < count; i++) uploads.Add(await StageAsync(host, user, fileName: $"photo-{i + 1}.jpg"));
        return uploads;
    }

    /// <summary>The series' rows as stored: (order_index, media file id, item id), by order_index.</summary>
    public static Task<List<PhotoSeriesFile>> RowsAsync(CoreTestHost host, Guid seriesId) =>
        host.DbAsync(db => db.PhotoSeriesFiles.AsNoTracking().Where(f => f.SeriesId == seriesId).OrderBy(f => f.OrderIndex).ToListAsync());

    public static Task<int> VersionAsync(CoreTestHost host, Guid seriesId) =>
        host.DbAsync(db => db.PhotoSeries.Where(s => s.Id == seriesId).Select(s => s.Version).SingleAsync());

    /// <summary>The reference count of a blob, or null when its row is gone.</summary>
    public static Task<int?> ReferenceCountAsync(CoreTestHost host, Guid mediaFileId) =>
        host.DbAsync(db => db.MediaFiles.Where(m => m.Id == mediaFileId).Select(m => (int?)m.ReferenceCount).SingleOrDefaultAsync());

    /// <summary>The original and the three variants of a blob.</summary>
    public static async Task<IReadOnlyList<string>> FilesOfAsync(CoreTestHost host, Guid mediaFileId)
    {
        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == mediaFileId));
        return new BlobFiles(media.FilePath, media.MimeType).Owned;
    }

    /// <summary>A second ward-staff user on Surgical Ward 3B (the demo seed has only one).</summary>
    public static async Task<CurrentUser> AddSurgicalNurseAsync(CoreTestHost host, string subject = "nurse-3b-2")
    {
        await host.DbAsync(async db =>
        {
            var ward = await db.Wards.SingleAsync(w => w.Name == "Surgical Ward 3B");
            db.Users.Add(new AppUser { Subject = subject, DisplayName = "Second Nurse", Role = Roles.WardStaff, Wards = [ward] });
            return await db.SaveChangesAsync();
        });
        return await host.UserAsync(subject);
    }
}

public sealed class PhotoSeriesServiceTests
{
    private const string SurgicalPatient = "Helena Marsh"; // Surgical Ward 3B
    private const string MedicalPatient = "Samuel Okoro";  // Medical Ward 2A
    private const string DischargedPatient = "Lucía Romero"; // Surgical Ward 3B, discharged
    private const string NotTheCreator = "Only the person who added this series (or an admin) can change it.";

    // ---------------------------------------------------------------- create

    [Fact]
    public async Task Create_keeps_the_given_order_files_under_photo_series_and_hands_over_the_references()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var order = new[] { uploads[2], uploads[0], uploads[1] };
        var when = host.Clock.UtcNow.AddHours(-2);

        var seriesId = await CreateAsync(host, nurse, patient, order.Select(u => u.UploadId).ToList(), "  Sacral wound  ", when);

        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        Assert.Equal(order.Select(u => u.MediaFileId), rows.Select(r => r.MediaFileId));
        Assert.Equal([1, 2, 3], rows.Select(r => r.OrderIndex));

        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().ToListAsync());
        Assert.Equal(3, media.Count);
        Assert.All(media, m =>
        {
            Assert.StartsWith("photo_series/2026/03/originals/", m.FilePath);
            Assert.Equal(1, m.ReferenceCount);
            Assert.Null(m.StagedById);
            Assert.Null(m.StagedAt);
        });
        var files = host.StoredFiles();
        Assert.Equal(12, files.Count);
        Assert.All(files, f => Assert.StartsWith("photo_series/2026/03/", f));
        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync()));

        var series = await host.DbAsync(db => db.PhotoSeries.AsNoTracking().SingleAsync());
        Assert.Equal((seriesId, EventType.PhotoSeries, patient), (series.Id, series.EventType, series.PatientId));
        Assert.Equal("Sacral wound", series.Caption);
        Assert.Equal(when, series.EventDateTime);
        Assert.Equal(0, series.Version);
        Assert.Equal((nurse.Id, nurse.Id, host.Clock.UtcNow), (series.CreatedById, series.UpdatedById, series.CreatedAt));

        var detail = await GetAsync(host, nurse, seriesId);
        Assert.Equal(order.Select(u => u.MediaFileId), detail.Items.Select(i => i.MediaFileId));
        Assert.Equal(["photo-3.jpg", "photo-1.jpg", "photo-2.jpg"], detail.Items.Select(i => i.OriginalFilename));
        Assert.Equal([1, 2, 3], detail.Items.Select(i => i.OrderIndex));
        Assert.True(detail.CanEdit);
        Assert.True(detail.CanReorder);
        Assert.Equal(CoreTestHost.Start.UtcDateTime.AddHours(24), detail.EditableUntil);

        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.SeriesCreate));
        Assert.Equal((nurse.Id, seriesId, patient, "files:3"), (audit.UserId!.Value, audit.EventId!.Value, audit.PatientId!.Value, audit.Details));
    }

    [Fact]
    public async Task The_same_bytes_twice_in_one_series_are_kept_once_with_one_reference()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var bytes = SeriesStaging.TinyJpeg();
        var first = await SeriesStaging.StageAsync(host, nurse, bytes, "same.jpg");
        var other = await SeriesStaging.StageAsync(host, nurse, fileName: "other.jpg");
        var again = await SeriesStaging.StageAsync(host, nurse, bytes, "same again.jpg");
        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.MediaFileId, again.MediaFileId);
        Assert.Equal(2, await SeriesStaging.ReferenceCountAsync(host, first.MediaFileId));

        var seriesId = await CreateAsync(host, nurse, patient, [first.UploadId, other.UploadId, again.UploadId]);

        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        Assert.Equal([first.MediaFileId, other.MediaFileId], rows.Select(r => r.MediaFileId));
        Assert.Equal([1, 2], rows.Select(r => r.OrderIndex));
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, first.MediaFileId));
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, other.MediaFileId));
        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync()));
        Assert.Equal(8, host.CountStoredFiles());
        Assert.Equal("files:2", (await host.DbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditActions.SeriesCreate))).Details);
    }

    [Fact]
    public async Task Twenty_one_photos_are_refused_with_a_message_naming_twenty_and_twenty_fit()
    {
        await using var host = await CoreTestHost.CreateAsync();
        Assert.Equal(20, host.Options.MaxSeriesPhotos);
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 21);
        var ids = uploads.Select(u => u.UploadId).ToList();

        var refused = await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(host, nurse, patient, ids));

        Assert.Equal("A series holds at most 20 photos; this one would have 21.", refused.Message);
        Assert.False(await host.DbAsync(db => db.PhotoSeries.AnyAsync()));
        Assert.Equal(21, await host.DbAsync(db => db.StagedUploads.CountAsync()));

        // Twenty are fine; the 21st cannot be added afterwards either.
        var seriesId = await CreateAsync(host, nurse, patient, ids[..20]);
        Assert.Equal(20, (await SeriesStaging.RowsAsync(host, seriesId)).Count);

        var addRefused = await Assert.ThrowsAsync<ValidationException>(() =>
            host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(nurse, seriesId, [ids[20]], 0)));
        Assert.Contains("at most 20 photos", addRefused.Message);
        Assert.Contains("this one has 20, so 0 more fit", addRefused.Message);
        Assert.Equal(0, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == ids[20])));
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, uploads[20].MediaFileId));
    }

    [Fact]
    public async Task An_empty_series_and_someone_elses_upload_are_refused()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var reviewer = await host.UserAsync("reviewer");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await SeriesStaging.StageAsync(host, nurse);

        var empty = await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(host, nurse, patient, []));
        Assert.Equal("A series needs at least one photo.", empty.Message);
        // The admin may create series for this patient: only the upload's owner stops them.
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, admin, patient, [upload.UploadId]));
        // A reviewer creates none, whoever's upload it is.
        var reviewerUpload = await SeriesStaging.StageAsync(host, reviewer);
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => CreateAsync(host, reviewer, patient, [reviewerUpload.UploadId]));
        Assert.Equal("Your role cannot add photos.", refused.Message);
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == reviewerUpload.UploadId)));

        Assert.False(await host.DbAsync(db => db.PhotoSeries.AnyAsync()));
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)));
    }

    // ---------------------------------------------------------------- concurrency

    [Fact]
    public async Task Two_editors_moving_from_the_same_version_one_wins_the_other_is_told_the_current_version()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var second = await SeriesStaging.AddSurgicalNurseAsync(host);
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 4);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList());
        var original = uploads.Select(u => u.MediaFileId).ToList();

        // Two editors, each with their own scope (own DbContext), both load version v.
        await using var scopeA = host.CreateScope();
        await using var scopeB = host.CreateScope();
        var seenA = await scopeA.ServiceProvider.GetRequiredService<SeriesQuery>().GetAsync(nurse, seriesId);
        var seenB = await scopeB.ServiceProvider.GetRequiredService<SeriesQuery>().GetAsync(second, seriesId);
        var v = seenA.Version;
        Assert.Equal(v, seenB.Version);
        var serviceA = scopeA.ServiceProvider.GetRequiredService<PhotoSeriesService>();
        var serviceB = scopeB.ServiceProvider.GetRequiredService<PhotoSeriesService>();

        // A moves the first photo to the end, B the last to the front, at the same time.
        var moveA = Task.Run(() => Outcome(() => serviceA.MoveAsync(nurse, seriesId, 1, 4, v)));
        var moveB = Task.Run(() => Outcome(() => serviceB.MoveAsync(second, seriesId, 4, 1, v)));
        var results = await Task.WhenAll(moveA, moveB);

        var won = Assert.Single(results, r => r.Version is not null);
        var lost = Assert.Single(results, r => r.Error is not null);
        var aWon = results[0].Version is not null;
        Assert.Equal(v + 1, won.Version);
        var stale = Assert.IsType<StaleSeriesException>(lost.Error);
        Assert.Equal(v + 1, stale.CurrentVersion);
        Assert.Contains("Someone else changed this series", stale.Message);

        var expected = original.ToList();
        var (from, to) = aWon ? (1, 4) : (4, 1);
        Move(expected, from, to);
        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.OrderIndex));
        Assert.Equal(expected, rows.Select(r => r.MediaFileId));
        Assert.Equal(v + 1, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.Single(await host.DbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.SeriesReorder).ToListAsync()));

        // The loser reloads and makes the change again: it applies on top of the winner's.
        var (loserUser, loserFrom, loserTo) = aWon ? (second, 4, 1) : (nurse, 1, 4);
        var reloaded = await GetAsync(host, loserUser, seriesId);
        Assert.Equal(v + 1, reloaded.Version);
        Assert.Equal(expected, reloaded.Items.Select(i => i.MediaFileId));
        Assert.Equal(v + 2, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(loserUser, seriesId, loserFrom, loserTo, reloaded.Version)));
        Move(expected, loserFrom, loserTo);
        Assert.Equal(expected, (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));
    }

    [Fact]
    public async Task A_stale_add_or_remove_changes_nothing()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList());
        Assert.Equal(1, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(nurse, seriesId, 3, 1, 0)));
        var before = await SeriesStaging.RowsAsync(host, seriesId);
        var extra = await SeriesStaging.StageAsync(host, nurse);

        var staleAdd = await Assert.ThrowsAsync<StaleSeriesException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(nurse, seriesId, [extra.UploadId], 0)));
        var staleRemove = await Assert.ThrowsAsync<StaleSeriesException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(nurse, seriesId, before[0].Id, 0)));
        var staleMove = await Assert.ThrowsAsync<StaleSeriesException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(nurse, seriesId, 1, 2, 0)));

        Assert.All(new[] { staleAdd, staleRemove, staleMove }, e => Assert.Equal(1, e.CurrentVersion));
        var after = await SeriesStaging.RowsAsync(host, seriesId);
        Assert.Equal(before.Select(r => (r.Id, r.MediaFileId, r.OrderIndex)), after.Select(r => (r.Id, r.MediaFileId, r.OrderIndex)));
        Assert.Equal(1, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == extra.UploadId)));
        Assert.Equal(16, host.CountStoredFiles());
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, before[0].MediaFileId));
    }

    [Fact]
    public async Task Positions_out_of_range_are_refused_and_do_not_bump_the_version()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList());

        foreach (var (from, to) in new[] { (0, 1), (1, 4), (4, 1), (2, -1) })
        {
            var refused = await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(nurse, seriesId, from, to, 0)));
            Assert.Equal("Positions go from 1 to 3.", refused.Message);
        }

        Assert.Equal(0, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.Equal(uploads.Select(u => u.MediaFileId), (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));
        // Moving a photo onto its own place is a change of nothing, but still a new version.
        Assert.Equal(1, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(nurse, seriesId, 2, 2, 0)));
        Assert.Equal(uploads.Select(u => u.MediaFileId), (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));
    }

    // ---------------------------------------------------------------- add and remove

    [Fact]
    public async Task Add_appends_in_the_order_given_and_skips_a_photo_already_in_the_series()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var firstBytes = SeriesStaging.TinyJpeg();
        var a = await SeriesStaging.StageAsync(host, nurse, firstBytes, "a.jpg");
        var b = await SeriesStaging.StageAsync(host, nurse, fileName: "b.jpg");
        var seriesId = await CreateAsync(host, nurse, patient, [a.UploadId, b.UploadId]);
        var c = await SeriesStaging.StageAsync(host, nurse, fileName: "c.jpg");
        var d = await SeriesStaging.StageAsync(host, nurse, fileName: "d.jpg");
        var aAgain = await SeriesStaging.StageAsync(host, nurse, firstBytes, "a again.jpg");
        Assert.Equal(2, await SeriesStaging.ReferenceCountAsync(host, a.MediaFileId));

        var version = await host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(nurse, seriesId, [d.UploadId, aAgain.UploadId, c.UploadId], 0));

        Assert.Equal(1, version);
        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        Assert.Equal([a.MediaFileId, b.MediaFileId, d.MediaFileId, c.MediaFileId], rows.Select(r => r.MediaFileId));
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.OrderIndex));
        foreach (var upload in new[] { a, b, c, d })
            Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, upload.MediaFileId));
        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync()));
        Assert.Equal(16, host.CountStoredFiles());
        Assert.Equal(1, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.True(await host.DbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SeriesAdd && e.EventId == seriesId)));
    }

    [Fact]
    public async Task Remove_closes_the_gap_and_deletes_the_files_of_the_last_reference_only()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var sharedBytes = SeriesStaging.TinyJpeg();
        // The shared blob is also a single Photo of the same patient.
        var forPhoto = await SeriesStaging.StageAsync(host, nurse, sharedBytes, "shared.jpg");
        var photoId = await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(nurse, patient, forPhoto.UploadId, "single", null));
        var a = await SeriesStaging.StageAsync(host, nurse, fileName: "a.jpg");
        var b = await SeriesStaging.StageAsync(host, nurse, fileName: "b.jpg");
        var shared = await SeriesStaging.StageAsync(host, nurse, sharedBytes, "shared again.jpg");
        var c = await SeriesStaging.StageAsync(host, nurse, fileName: "c.jpg");
        var seriesId = await CreateAsync(host, nurse, patient, [a.UploadId, b.UploadId, shared.UploadId, c.UploadId]);
        Assert.Equal(2, await SeriesStaging.ReferenceCountAsync(host, shared.MediaFileId));
        var bFiles = await SeriesStaging.FilesOfAsync(host, b.MediaFileId);
        var sharedFiles = await SeriesStaging.FilesOfAsync(host, shared.MediaFileId);
        Assert.All(bFiles.Concat(sharedFiles), f => Assert.True(File.Exists(host.FullPath(f)), f));
        var rows = await SeriesStaging.RowsAsync(host, seriesId);

        // b goes: its only reference, so its row and its four files go.
        var v1 = await host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(nurse, seriesId, rows[1].Id, 0));

        Assert.Equal(1, v1);
        var after = await SeriesStaging.RowsAsync(host, seriesId);
        Assert.Equal([a.MediaFileId, shared.MediaFileId, c.MediaFileId], after.Select(r => r.MediaFileId));
        Assert.Equal([1, 2, 3], after.Select(r => r.OrderIndex));
        Assert.Null(await SeriesStaging.ReferenceCountAsync(host, b.MediaFileId));
        Assert.All(bFiles, f => Assert.False(File.Exists(host.FullPath(f)), f));
        Assert.Equal("blob_deleted", (await host.DbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SeriesRemove))).Details);

        // The shared blob goes from the series but stays for the Photo.
        var v2 = await host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(nurse, seriesId, after[1].Id, v1));

        Assert.Equal(2, v2);
        Assert.Equal([a.MediaFileId, c.MediaFileId], (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));
        Assert.Equal([1, 2], (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.OrderIndex));
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, shared.MediaFileId));
        Assert.All(sharedFiles, f => Assert.True(File.Exists(host.FullPath(f)), f));
        Assert.Equal(["blob_deleted", "blob_kept"],
            await host.DbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.SeriesRemove).OrderBy(e => e.Id).Select(e => e.Details!).ToListAsync()));

        // When the Photo goes too (and is purged), so do the files.
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, photoId));
        await host.PurgeAfterRetentionAsync();
        Assert.Null(await SeriesStaging.ReferenceCountAsync(host, shared.MediaFileId));
        Assert.All(sharedFiles, f => Assert.False(File.Exists(host.FullPath(f)), f));
        Assert.Equal(8, host.CountStoredFiles());
    }

    [Fact]
    public async Task The_last_photo_cannot_be_removed_and_an_unknown_item_is_not_found()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var only = await SeriesStaging.StageAsync(host, nurse);
        var seriesId = await CreateAsync(host, nurse, patient, [only.UploadId]);
        var item = Assert.Single(await SeriesStaging.RowsAsync(host, seriesId));

        var last = await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(nurse, seriesId, item.Id, 0)));
        Assert.Equal("This is the last photo of the series: delete the series instead.", last.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(nurse, seriesId, Guid.NewGuid(), 0)));

        Assert.Single(await SeriesStaging.RowsAsync(host, seriesId));
        Assert.Equal(0, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, only.MediaFileId));
        Assert.Equal(4, host.CountStoredFiles());
    }

    // ---------------------------------------------------------------- captions and update

    [Fact]
    public async Task Item_captions_and_the_series_caption_and_time_are_set_by_the_creator()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 2);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList(), "before");
        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        host.Clock.Advance(TimeSpan.FromHours(1));

        await host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(nurse, seriesId, rows[1].Id, "  Day 2, after debridement  "));

        var detail = await GetAsync(host, nurse, seriesId);
        Assert.Equal(["", "Day 2, after debridement"], detail.Items.Select(i => i.Caption));
        Assert.Equal(host.Clock.UtcNow, detail.UpdatedAt);
        Assert.Equal(0, detail.Version);

        var tooLong = await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(nurse, seriesId, rows[0].Id, new string('x', 256))));
        Assert.Equal("The caption has 256 characters: at most 255 are allowed.", tooLong.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(nurse, seriesId, Guid.NewGuid(), "x")));
        await host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(nurse, seriesId, rows[1].Id, null));
        Assert.Equal(["", ""], (await GetAsync(host, nurse, seriesId)).Items.Select(i => i.Caption));

        var newTime = host.Clock.UtcNow.AddDays(-1);
        await host.WithAsync<PhotoSeriesService>(s => s.UpdateAsync(nurse, seriesId, " after ", newTime));
        var updated = await GetAsync(host, nurse, seriesId);
        Assert.Equal(("after", newTime), (updated.Caption, updated.EventDateTime));
        await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<PhotoSeriesService>(s => s.UpdateAsync(nurse, seriesId, "future", host.Clock.UtcNow.AddHours(1))));
        Assert.Equal("after", (await GetAsync(host, nurse, seriesId)).Caption);
    }

    // ---------------------------------------------------------------- who may do what

    [Fact]
    public async Task Only_the_creator_or_an_admin_changes_the_photos_ward_staff_and_admins_reorder_and_a_reviewer_only_looks()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var second = await SeriesStaging.AddSurgicalNurseAsync(host);
        var reviewer = await host.UserAsync("reviewer");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList(), "nurse's");
        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        var theirUpload = await SeriesStaging.StageAsync(host, second);

        var refusals = new List<ForbiddenException>
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(second, seriesId, [theirUpload.UploadId], 0))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(second, seriesId, rows[0].Id, 0))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(second, seriesId, rows[0].Id, "theirs"))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.UpdateAsync(second, seriesId, "theirs", host.Clock.UtcNow))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(second, seriesId))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(reviewer, seriesId, rows[0].Id, 0))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(reviewer, seriesId, rows[0].Id, "theirs"))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(reviewer, seriesId))),
        };
        Assert.All(refusals, r => Assert.Equal(NotTheCreator, r.Message));

        // The other nurse may reorder; they become the last to change it.
        Assert.Equal(1, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(second, seriesId, 3, 1, 0)));
        var seenBySecond = await GetAsync(host, second, seriesId);
        Assert.False(seenBySecond.CanEdit);
        Assert.True(seenBySecond.CanReorder);
        Assert.Equal("Second Nurse", seenBySecond.UpdatedByName);

        // The reviewer looks but does not reorder.
        var asReviewer = await GetAsync(host, reviewer, seriesId);
        Assert.False(asReviewer.CanReorder);
        Assert.False(asReviewer.CanEdit);
        Assert.Equal(3, asReviewer.Items.Count);
        var reviewerMove = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(reviewer, seriesId, 1, 2, 1)));
        Assert.Equal("Your role cannot reorder series: reviewers view only.", reviewerMove.Message);
        Assert.Equal(1, await SeriesStaging.VersionAsync(host, seriesId));

        // The admin may edit and reorder.
        var asAdmin = await GetAsync(host, admin, seriesId);
        Assert.True(asAdmin.CanReorder);
        Assert.True(asAdmin.CanEdit);
        Assert.Equal(2, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(admin, seriesId, 3, 2, 1)));
        Assert.Equal("Ada Okafor", (await GetAsync(host, nurse, seriesId)).UpdatedByName);

        Assert.Equal(2, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.Equal([uploads[2].MediaFileId, uploads[1].MediaFileId, uploads[0].MediaFileId],
            (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));
        Assert.Equal("nurse's", (await GetAsync(host, nurse, seriesId)).Caption);
        Assert.All(await SeriesStaging.RowsAsync(host, seriesId), r => Assert.Equal("", r.Caption));
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == theirUpload.UploadId)));
        Assert.Equal(2, await host.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.SeriesReorder && a.EventId == seriesId)));
    }

    [Fact]
    public async Task After_24_hours_the_creator_can_no_longer_change_the_photos_but_the_ward_can_still_reorder()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var second = await SeriesStaging.AddSurgicalNurseAsync(host);
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList(), "locked soon");
        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        var late = await SeriesStaging.StageAsync(host, nurse);

        // Just inside the window everything still works.
        host.Clock.Advance(TimeSpan.FromHours(24));
        await host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(nurse, seriesId, rows[0].Id, "in time"));
        Assert.True((await GetAsync(host, nurse, seriesId)).CanEdit);

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var refusals = new List<ForbiddenException>
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(nurse, seriesId, [late.UploadId], 0))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(nurse, seriesId, rows[0].Id, 0))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(nurse, seriesId, rows[0].Id, "too late"))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.UpdateAsync(nurse, seriesId, "too late", host.Clock.UtcNow))),
            await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(nurse, seriesId))),
        };
        Assert.All(refusals, r => Assert.Equal("Series can be changed for 24 hours after they are added; this one is locked.", r.Message));

        var detail = await GetAsync(host, nurse, seriesId);
        Assert.False(detail.CanEdit);
        Assert.True(detail.CanReorder);
        Assert.Equal(3, detail.Items.Count);
        Assert.Equal("in time", detail.Items[0].Caption);
        Assert.Equal("locked soon", detail.Caption);
        Assert.Equal(16, host.CountStoredFiles());

        // Reordering has no time limit, for the creator and for the rest of the ward.
        Assert.Equal(1, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(nurse, seriesId, 1, 3, 0)));
        Assert.Equal(2, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(second, seriesId, 2, 1, 1)));
        Assert.Equal([uploads[2].MediaFileId, uploads[1].MediaFileId, uploads[0].MediaFileId],
            (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));
    }

    [Fact]
    public async Task An_admin_changes_and_deletes_someone_elses_series_long_after_the_window()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList(), "nurse's");
        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        var adminUpload = await SeriesStaging.StageAsync(host, admin, fileName: "admin.jpg");
        var removedFiles = await SeriesStaging.FilesOfAsync(host, uploads[1].MediaFileId);

        host.Clock.Advance(TimeSpan.FromDays(30));
        var locked = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.UpdateAsync(nurse, seriesId, "too late", null)));
        Assert.Equal("Series can be changed for 24 hours after they are added; this one is locked.", locked.Message);
        Assert.False((await GetAsync(host, nurse, seriesId)).CanEdit);
        Assert.True((await GetAsync(host, admin, seriesId)).CanEdit);

        Assert.Equal(1, await host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(admin, seriesId, [adminUpload.UploadId], 0)));
        Assert.Equal(2, await host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(admin, seriesId, rows[1].Id, 1)));
        await host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(admin, seriesId, rows[0].Id, "by the admin"));
        await host.WithAsync<PhotoSeriesService>(s => s.UpdateAsync(admin, seriesId, "renamed by the admin", null));

        var detail = await GetAsync(host, admin, seriesId);
        Assert.Equal("renamed by the admin", detail.Caption);
        Assert.Equal([uploads[0].MediaFileId, uploads[2].MediaFileId, adminUpload.MediaFileId], detail.Items.Select(i => i.MediaFileId));
        Assert.Equal(["by the admin", "", ""], detail.Items.Select(i => i.Caption));
        Assert.Equal("Ada Okafor", detail.UpdatedByName);
        Assert.Null(await SeriesStaging.ReferenceCountAsync(host, uploads[1].MediaFileId));
        Assert.All(removedFiles, f => Assert.False(File.Exists(host.FullPath(f)), f));

        await host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(admin, seriesId));

        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(host, nurse, seriesId));
        await host.PurgeAfterRetentionAsync();
        await host.AssertNothingLeftBehindAsync();
        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.SeriesDelete));
        Assert.Equal((admin.Id, seriesId), (audit.UserId!.Value, audit.EventId!.Value));
    }

    [Fact]
    public async Task A_discharged_patients_series_is_seen_and_reordered_by_the_other_ward_of_the_hospital_not_by_another_hospital()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var otherHospital = await AddUserOfAnotherHospitalAsync(host);
        var patient = await host.PatientIdAsync(DischargedPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 2);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList(), "at discharge");

        var seen = await GetAsync(host, nurse2A, seriesId);
        Assert.Equal(("at discharge", 2), (seen.Caption, seen.Items.Count));
        Assert.False(seen.CanEdit);
        Assert.True(seen.CanReorder);
        Assert.Equal(1, await host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(nurse2A, seriesId, 2, 1, 0)));
        var notCreator = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(nurse2A, seriesId)));
        Assert.Equal(NotTheCreator, notCreator.Message);

        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(host, otherHospital, seriesId));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(otherHospital, seriesId, 1, 2, 1)));
        var theirs = await SeriesStaging.StageAsync(host, otherHospital);
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, otherHospital, patient, [theirs.UploadId]));

        Assert.Equal(1, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.Equal([uploads[1].MediaFileId, uploads[0].MediaFileId], (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));
    }

    [Fact]
    public async Task A_user_of_another_ward_does_not_find_the_series()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 2);
        var seriesId = await CreateAsync(host, nurse, patient, uploads.Select(u => u.UploadId).ToList());
        var rows = await SeriesStaging.RowsAsync(host, seriesId);
        var theirs = await SeriesStaging.StageAsync(host, nurse2A);

        var notFound = new List<NotFoundException>
        {
            await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(host, nurse2A, seriesId)),
            await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(nurse2A, seriesId, 1, 2, 0))),
            await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(nurse2A, seriesId, [theirs.UploadId], 0))),
            await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(nurse2A, seriesId, rows[0].Id, 0))),
            await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(nurse2A, seriesId, rows[0].Id, "x"))),
            await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(nurse2A, seriesId))),
        };
        Assert.All(notFound, e => Assert.Equal("No such series.", e.Message));
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, nurse2A, patient, [theirs.UploadId]));

        Assert.Equal(0, await SeriesStaging.VersionAsync(host, seriesId));
        Assert.Equal(uploads.Select(u => u.MediaFileId), (await SeriesStaging.RowsAsync(host, seriesId)).Select(r => r.MediaFileId));

        // Their own ward works.
        var medical = await host.PatientIdAsync(MedicalPatient);
        var own = await CreateAsync(host, nurse2A, medical, [theirs.UploadId]);
        Assert.Single((await GetAsync(host, nurse2A, own)).Items);
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(host, nurse, own));
    }

    // ---------------------------------------------------------------- discard and delete

    [Fact]
    public async Task Discarding_staged_uploads_leaves_nothing_behind_and_ignores_other_users_uploads()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var bytes = SeriesStaging.TinyJpeg();
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var duplicate = await SeriesStaging.StageAsync(host, nurse, bytes);
        var duplicateAgain = await SeriesStaging.StageAsync(host, nurse, bytes);
        var admins = await SeriesStaging.StageAsync(host, admin);
        var adminsFiles = await SeriesStaging.FilesOfAsync(host, admins.MediaFileId);

        // The admin's id in the nurse's discard is ignored.
        await host.WithAsync<StagedUploadService>(s => s.DiscardAsync(nurse,
            [.. uploads.Select(u => u.UploadId), duplicate.UploadId, duplicateAgain.UploadId, admins.UploadId, Guid.NewGuid()]));

        Assert.Equal(adminsFiles.Order(StringComparer.Ordinal), host.StoredFiles());
        Assert.Equal([admins.UploadId], await host.DbAsync(db => db.StagedUploads.Select(s => s.Id).ToListAsync()));
        Assert.Equal([admins.MediaFileId], await host.DbAsync(db => db.MediaFiles.Select(m => m.Id).ToListAsync()));
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, admins.MediaFileId));

        await host.WithAsync<StagedUploadService>(s => s.DiscardAsync(admin, [admins.UploadId]));
        await host.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task Discarding_a_duplicate_of_a_blob_in_a_series_keeps_the_blob()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var bytes = SeriesStaging.TinyJpeg();
        var inSeries = await SeriesStaging.StageAsync(host, nurse, bytes);
        await CreateAsync(host, nurse, patient, [inSeries.UploadId]);
        var files = host.StoredFiles();
        var again = await SeriesStaging.StageAsync(host, nurse, bytes);
        Assert.Equal(2, await SeriesStaging.ReferenceCountAsync(host, inSeries.MediaFileId));

        await host.WithAsync<StagedUploadService>(s => s.DiscardAsync(nurse, [again.UploadId]));

        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, inSeries.MediaFileId));
        Assert.Equal(files, host.StoredFiles());
        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync()));
    }

    [Fact]
    public async Task Delete_releases_every_photo_and_keeps_a_blob_still_used_by_a_photo()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var sharedBytes = SeriesStaging.TinyJpeg();
        var forPhoto = await SeriesStaging.StageAsync(host, nurse, sharedBytes);
        var photoId = await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(nurse, patient, forPhoto.UploadId, null, null));
        var uploads = await SeriesStaging.StageManyAsync(host, nurse, 3);
        var shared = await SeriesStaging.StageAsync(host, nurse, sharedBytes);
        var seriesId = await CreateAsync(host, nurse, patient, [.. uploads.Select(u => u.UploadId), shared.UploadId]);
        var sharedFiles = await SeriesStaging.FilesOfAsync(host, shared.MediaFileId);
        Assert.Equal(16, host.CountStoredFiles());

        await host.WithAsync<PhotoSeriesService>(s => s.DeleteAsync(nurse, seriesId));

        // Hidden at once; its photos keep their references until the purge.
        Assert.False(await host.DbAsync(db => db.Events.AnyAsync(e => e.Id == seriesId)));
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(host, nurse, seriesId));
        Assert.Equal(16, host.CountStoredFiles());
        Assert.True(await host.DbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SeriesDelete && e.EventId == seriesId)));

        await host.PurgeAfterRetentionAsync();

        Assert.False(await host.DbAsync(db => db.Events.IgnoreQueryFilters().AnyAsync(e => e.Id == seriesId)));
        Assert.False(await host.DbAsync(db => db.PhotoSeriesFiles.AnyAsync()));
        foreach (var upload in uploads) Assert.Null(await SeriesStaging.ReferenceCountAsync(host, upload.MediaFileId));
        Assert.Equal(1, await SeriesStaging.ReferenceCountAsync(host, shared.MediaFileId));
        Assert.Equal(sharedFiles.Order(StringComparer.Ordinal), host.StoredFiles());

        var admin = await host.UserAsync("admin");
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(admin, photoId));
        await host.PurgeAfterRetentionAsync();
        await host.AssertNothingLeftBehindAsync();
    }

    // ---------------------------------------------------------------- helpers

    internal static void Move(List<Guid> model, int from, int to)
    {
        var item = model[from - 1];
        model.RemoveAt(from - 1);
        model.Insert(to - 1, item);
    }

    private static async Task<(int? Version, Exception? Error)> Outcome(Func<Task<int>> work)
    {
        try
        {
            return (await work(), null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    private static Task<Guid> CreateAsync(CoreTestHost host, CurrentUser user, Guid patientId, IReadOnlyList<Guid> uploadIds,
        string? caption = null, DateTime? when = null) =>
        host.WithAsync<PhotoSeriesService, Guid>(s => s.CreateAsync(user, patientId, uploadIds, caption, when));

    /// <summary>A ward-staff user on a ward of another hospital (the demo seed has one hospital).</summary>
    private static async Task<CurrentUser> AddUserOfAnotherHospitalAsync(CoreTestHost host)
    {
        await host.DbAsync(db =>
        {
            db.Users.Add(new AppUser
            {
                Subject = "nurse-mercy", DisplayName = "Mercy Nurse", Role = Roles.WardStaff,
                Wards = [new Ward { Name = "Ward 1 North", Hospital = "Mercy County Hospital" }],
            });
            return db.SaveChangesAsync();
        });
        return await host.UserAsync("nurse-mercy");
    }

    private static Task<SeriesDetail> GetAsync(CoreTestHost host, CurrentUser user, Guid seriesId) =>
        host.WithAsync<SeriesQuery, SeriesDetail>(q => q.GetAsync(user, seriesId));
}
