using MediaFiles.Core.Access;
using MediaFiles.Core.Admin;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Series;
using MediaFiles.Core.Video;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Core;

/// <summary>The admin dashboard's figures on a real SQLite database and store, seeded through the real pipeline and services.</summary>
public sealed class DashboardQueryTests
{
    private static Task<DashboardFigures> FiguresAsync(CoreTestHost host, CurrentUser user) =>
        host.WithAsync<DashboardQuery, DashboardFigures>(q => q.GetAsync(user));

    private static Task WriteAuditAsync(CoreTestHost host, string action, Guid? userId, bool success, string? details, Guid? mediaFileId = null) =>
        host.WithAsync<AuditLog>(a => a.WriteAsync(action, userId, success, mediaFileId, details: details));

    /// <summary>The audit row the upload endpoint writes for an accepted upload.</summary>
    private static Task AuditUploadAsync(CoreTestHost host, Guid userId, IngestResult result) =>
        WriteAuditAsync(host, AuditActions.MediaUpload, userId, true, result.Outcome == IngestOutcome.Duplicate ? "duplicate" : "saved", result.MediaFileId);

    /// <summary>An audit row at a time of the test's choosing (the log itself always writes "now").</summary>
    private static Task InsertAuditAtAsync(CoreTestHost host, DateTime atUtc, string action, Guid? userId, bool success, string? details) =>
        host.DbAsync(async db =>
        {
            db.AuditEntries.Add(new AuditEntry { At = atUtc, Action = action, UserId = userId, Success = success, Details = details });
            return await db.SaveChangesAsync();
        });

    private static long VariantBytesOnDisk(CoreTestHost host) => host.StoredFiles()
        .Where(f => !f.Contains("/originals/", StringComparison.Ordinal) && !f.StartsWith(".tmp/", StringComparison.Ordinal))
        .Sum(f => new FileInfo(host.FullPath(f)).Length);

    [Fact]
    public async Task Counts_storage_dedup_and_queue_of_a_seeded_store()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "UTC" });
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync("Helena Marsh");

        // Two photos of the same bytes: the second upload is a duplicate of the first blob.
        var photoBytes = TestUploads.UniqueJpeg(320, 240);
        var first = await host.IngestAsync(photoBytes, "wound.jpg", "image/jpeg", nurse.Id);
        await AuditUploadAsync(host, nurse.Id, first);
        var again = await host.IngestAsync(photoBytes, "wound-again.jpg", "image/jpeg", nurse.Id);
        await AuditUploadAsync(host, nurse.Id, again);
        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(nurse, patient, first.UploadId, "Day 1", null));
        await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(nurse, patient, again.UploadId, "Day 1, again", null));

        // A series of two photos.
        var seriesBytes = new[] { TestUploads.UniqueJpeg(200, 150), TestUploads.UniqueJpeg(200, 150) };
        var seriesUploads = new List<IngestResult>();
        foreach (var bytes in seriesBytes)
        {
            var upload = await SeriesStaging.StageAsync(host, nurse, bytes);
            await AuditUploadAsync(host, nurse.Id, upload);
            seriesUploads.Add(upload);
        }
        await host.WithAsync<PhotoSeriesService, Guid>(s => s.CreateAsync(nurse, patient, seriesUploads.Select(u => u.UploadId).ToList(), "Dressing", null));

        // A VP9 clip: kept, and queued for its browser-playable copy (no worker runs here).
        var clip = await TestClips.Vp9WebMAsync();
        var clipUpload = await host.IngestVideoAsync(clip, admin.Id);
        await AuditUploadAsync(host, admin.Id, clipUpload);
        await host.WithAsync<VideoClipService, Guid>(s => s.CreateAsync(admin, patient, clipUpload.UploadId, "Gait", null));

        var figures = await FiguresAsync(host, admin);

        Assert.Equal(new MediaTotals(Photos: 2, Series: 1, PhotosInSeries: 2, Clips: 1), figures.Totals);

        Assert.Equal(4, figures.Storage.Blobs);
        Assert.Equal(photoBytes.Length + seriesBytes.Sum(b => (long)b.Length) + clip.Length, figures.Storage.OriginalBytes);
        // Three JPEG variants per photo blob, poster and thumbnail for the clip (its playable copy is not made yet).
        Assert.Equal(3 * 3 + 2, figures.Storage.VariantFiles);
        Assert.Equal(VariantBytesOnDisk(host), figures.Storage.VariantBytes);
        Assert.True(figures.Storage.VariantBytes > 0);

        Assert.Equal(1, figures.Dedup.DuplicateUploads);
        Assert.Equal(photoBytes.Length, figures.Dedup.BytesSaved);
        Assert.Equal(1, figures.Dedup.SharedBlobs);

        Assert.Equal(1, figures.Health.TranscodesQueued);
        Assert.Equal(0, figures.Health.TranscodesRunning);
        Assert.Equal(1, figures.Health.QueueLength);
        Assert.False(string.IsNullOrWhiteSpace(figures.Health.FfmpegVersion));
        Assert.True(figures.Health.FfmpegInstalled);
        Assert.NotNull(figures.Health.DatabaseBytes);
        Assert.InRange(figures.Health.DatabaseBytes!.Value, new FileInfo(host.DatabasePath).Length, long.MaxValue);
        var drive = new DriveInfo(host.StorageRoot);
        Assert.Equal(drive.TotalSize, figures.Health.TotalDiskBytes);
        Assert.InRange(figures.Health.FreeDiskBytes!.Value, 1, drive.TotalSize);

        // Every upload was today (ward time UTC): five accepted, by two people.
        Assert.Equal(DashboardQuery.WindowDays, figures.UploadsPerDay.Count);
        Assert.Equal(new DailyUploads(new DateOnly(2026, 3, 15), 5), figures.UploadsPerDay[^1]);
        Assert.Equal(5, figures.UploadsInWindow);
        Assert.Equal([("Nora Lindqvist", 4), ("Ada Okafor", 1)], figures.TopUploaders.Select(u => (u.DisplayName, u.Uploads)));
        Assert.Equal(nurse.Id, figures.TopUploaders[0].UserId);
    }

    [Fact]
    public async Task A_refused_upload_is_counted_under_its_reason_with_its_label()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "UTC" });
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");

        // The pipeline refuses a text file sent as a photo; the endpoint audits the refusal code.
        var refused = await Assert.ThrowsAsync<IngestRefusedException>(() =>
            host.IngestAsync("just some text, not a picture"u8.ToArray(), "notes.jpg", "image/jpeg", nurse.Id));
        await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, false, refused.Code);

        var figures = await FiguresAsync(host, admin);

        var row = Assert.Single(figures.Refusals);
        Assert.Equal(("type_not_accepted", "File type not accepted", 1), (row.Code, row.Label, row.Count));
        // A refusal is not an upload, nor a duplicate, nor does it make anyone an uploader.
        Assert.Equal(0, figures.UploadsInWindow);
        Assert.Equal(0, figures.Dedup.DuplicateUploads);
        Assert.Empty(figures.TopUploaders);
        Assert.Equal(0, figures.Storage.Blobs);
    }

    [Fact]
    public async Task Uploads_per_day_are_30_ward_local_days_ending_today()
    {
        // 10:00 UTC on 15 March is 23:00 in Auckland (NZDT, UTC+13); two hours later it is already the 16th there.
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "Pacific/Auckland" });
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");

        for (var i = 0; i < 2; i++) await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, true, "saved");
        host.Clock.Advance(TimeSpan.FromHours(2));
        for (var i = 0; i < 3; i++) await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, true, i == 0 ? "duplicate" : "saved");
        // Not uploads: a refusal, and another action.
        await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, false, "too_large");
        await WriteAuditAsync(host, AuditActions.PhotoCreate, nurse.Id, true, null);
        // The window starts at midnight of 15 February in Auckland: 11:00 UTC on 14 February.
        await InsertAuditAtAsync(host, new DateTime(2026, 2, 14, 11, 0, 0, DateTimeKind.Utc), AuditActions.MediaUpload, admin.Id, true, "saved");
        await InsertAuditAtAsync(host, new DateTime(2026, 2, 14, 10, 59, 59, DateTimeKind.Utc), AuditActions.MediaUpload, admin.Id, true, "saved");

        var figures = await FiguresAsync(host, admin);

        Assert.Equal(new DateOnly(2026, 3, 16), figures.Today);
        Assert.Equal(30, figures.UploadsPerDay.Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => new DateOnly(2026, 2, 15).AddDays(i)), figures.UploadsPerDay.Select(d => d.Day));
        Assert.Equal(new DailyUploads(new DateOnly(2026, 3, 16), 3), figures.UploadsPerDay[^1]);
        Assert.Equal(new DailyUploads(new DateOnly(2026, 3, 15), 2), figures.UploadsPerDay[^2]);
        Assert.Equal(new DailyUploads(new DateOnly(2026, 2, 15), 1), figures.UploadsPerDay[0]);
        Assert.All(figures.UploadsPerDay.Skip(1).SkipLast(2), d => Assert.Equal(0, d.Count));
        Assert.Equal(6, figures.UploadsInWindow);
        Assert.Equal(1, figures.Dedup.DuplicateUploads);
    }

    [Fact]
    public async Task Top_uploaders_and_refusals_cover_the_window_only_most_first()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "UTC" });
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var admin = await host.UserAsync("admin");
        var longAgo = host.Clock.UtcNow.AddDays(-40);

        // Ada was the busiest uploader, but 40 days ago: outside the window.
        for (var i = 0; i < 6; i++) await InsertAuditAtAsync(host, longAgo, AuditActions.MediaUpload, admin.Id, true, "saved");
        await InsertAuditAtAsync(host, longAgo, AuditActions.MediaUpload, admin.Id, false, "unreadable");
        for (var i = 0; i < 2; i++) await WriteAuditAsync(host, AuditActions.MediaUpload, nurse2A.Id, true, "saved");
        host.Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 3; i++) await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, true, "saved");
        await WriteAuditAsync(host, AuditActions.MediaUpload, admin.Id, true, "duplicate");

        for (var i = 0; i < 2; i++) await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, false, "too_large");
        await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, false, "role");
        await WriteAuditAsync(host, AuditActions.MediaUpload, nurse.Id, false, "something_new");
        await WriteAuditAsync(host, AuditActions.RateLimited, nurse.Id, false, "uploads");
        // A rate-limited media read is not a refused upload.
        await WriteAuditAsync(host, AuditActions.RateLimited, nurse.Id, false, "media-reads");

        var figures = await FiguresAsync(host, admin);

        Assert.Equal(
            [("Nora Lindqvist", 3), ("Tomás Ferreira", 2), ("Ada Okafor", 1)],
            figures.TopUploaders.Select(u => (u.DisplayName, u.Uploads)));
        Assert.Equal(
            [
                ("too_large", "File too large", 2),
                ("something_new", "Other (something_new)", 1),
                ("role", "Role may not upload", 1),
                ("rate_limited", "Too many uploads in an hour (rate limit)", 1),
            ],
            figures.Refusals.Select(r => (r.Code, r.Label, r.Count)));
        Assert.Equal(5, figures.RefusalsInWindow);
        Assert.Equal(6, figures.UploadsInWindow);
        Assert.Equal(2, figures.UploadsPerDay[^2].Count);
        Assert.Equal(4, figures.UploadsPerDay[^1].Count);
    }

    [Fact]
    public async Task Only_the_top_five_uploaders_are_listed()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "UTC" });
        var admin = await host.UserAsync("admin");
        for (var person = 1; person <= 7; person++)
        {
            var userId = Guid.NewGuid();
            for (var i = 0; i < person; i++) await WriteAuditAsync(host, AuditActions.MediaUpload, userId, true, "saved");
        }

        var figures = await FiguresAsync(host, admin);

        Assert.Equal([7, 6, 5, 4, 3], figures.TopUploaders.Select(u => u.Uploads));
        // Ids with no user row (a removed account) still count, under a placeholder name.
        Assert.All(figures.TopUploaders, u => Assert.Equal("Unknown user", u.DisplayName));
    }

    [Fact]
    public async Task A_deleted_photo_is_no_longer_counted()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "UTC" });
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync("Helena Marsh");
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var upload = await host.IngestAsync(TestUploads.UniqueJpeg(120, 90), "p.jpg", "image/jpeg", nurse.Id);
            ids.Add(await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(nurse, patient, upload.UploadId, "", null)));
        }
        Assert.Equal(2, (await FiguresAsync(host, admin)).Totals.Photos);

        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, ids[0]));

        Assert.Equal(1, (await FiguresAsync(host, admin)).Totals.Photos);
    }

    [Fact]
    public async Task A_fresh_system_has_zero_figures_and_30_empty_days()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "UTC" });
        var admin = await host.UserAsync("admin");

        var figures = await FiguresAsync(host, admin);

        Assert.Equal(new MediaTotals(0, 0, 0, 0), figures.Totals);
        Assert.Equal(new StorageFigures(0, 0, 0, 0), figures.Storage);
        Assert.Equal(new DedupFigures(0, 0, 0), figures.Dedup);
        Assert.Equal(30, figures.UploadsPerDay.Count);
        Assert.All(figures.UploadsPerDay, d => Assert.Equal(0, d.Count));
        Assert.Equal(new DateOnly(2026, 3, 15), figures.Today);
        Assert.Empty(figures.Refusals);
        Assert.Empty(figures.TopUploaders);
        Assert.Equal(0, figures.Health.QueueLength);
    }

    [Theory]
    [InlineData("nurse")]
    [InlineData("reviewer")]
    public async Task Only_admins_get_the_figures(string subject)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var user = await host.UserAsync(subject);

        await Assert.ThrowsAsync<ForbiddenException>(() => FiguresAsync(host, user));
    }

    [Fact]
    public async Task Ffmpeg_missing_is_reported_as_no_version()
    {
        var empty = Path.Combine(Path.GetTempPath(), "mediafiles-no-ffmpeg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Videos:FfmpegFolder"] = empty });
            var admin = await host.UserAsync("admin");

            var figures = await FiguresAsync(host, admin);

            Assert.Null(figures.Health.FfmpegVersion);
            Assert.False(figures.Health.FfmpegInstalled);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Theory]
    [InlineData("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\nbuilt with gcc 12", "5.1.6-0+deb12u1")]
    [InlineData("ffmpeg version N-113000-g1234abcd Copyright (c) 2000-2024", "N-113000-g1234abcd")]
    [InlineData("ffprobe version 6.0 Copyright", null)]
    [InlineData("", null)]
    public void Ffmpeg_version_is_read_from_its_first_line(string output, string? expected) =>
        Assert.Equal(expected, SystemProbes.ParseFfmpegVersion(output));

    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(2048, "2 KB")]
    [InlineData(5L * 1024 * 1024, "5 MB")]
    [InlineData(1288490189L, "1.2 GB")]
    [InlineData(3L * 1024 * 1024 * 1024 * 1024, "3 TB")]
    public void Byte_sizes_read_as_people_say_them(long bytes, string expected)
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            Assert.Equal(expected, ByteSize.Text(bytes));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }
}
