using System.Collections.Concurrent;
using ImageMagick;
using MediaFiles.Core;
using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Maintenance;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Core;

/// <summary>
/// The admin maintenance jobs over a real SQLite file and a real media folder: queued as rows, run by
/// the runner as the background service does (a fresh scope each), results kept in the row.
/// </summary>
public sealed class MaintenanceJobTests
{
    private const string SurgicalPatient = "Helena Marsh";

    // ---------------------------------------------------------------- helpers

    private static Task<Guid> StartAsync(CoreTestHost host, CurrentUser user, MaintenanceJobKind kind) =>
        host.WithAsync<MaintenanceJobs, Guid>(j => j.StartAsync(user, kind));

    private static Task<bool> RunNextAsync(CoreTestHost host) =>
        host.WithAsync<MaintenanceRunner, bool>(r => r.RunNextAsync(CancellationToken.None));

    private static Task<MaintenanceJob> JobAsync(CoreTestHost host, Guid id) =>
        host.DbAsync(db => db.MaintenanceJobs.AsNoTracking().SingleAsync(j => j.Id == id));

    /// <summary>Starts a job as the admin, runs the queue once, and returns the finished row.</summary>
    private static async Task<MaintenanceJob> RunJobAsync(CoreTestHost host, MaintenanceJobKind kind)
    {
        var admin = await host.UserAsync("admin");
        var id = await StartAsync(host, admin, kind);
        Assert.True(await RunNextAsync(host));
        return await JobAsync(host, id);
    }

    private static async Task<(MaintenanceJob Job, IntegrityScanResult Result)> ScanAsync(CoreTestHost host)
    {
        var job = await RunJobAsync(host, MaintenanceJobKind.IntegrityScan);
        Assert.Equal(MaintenanceJobState.Succeeded, job.State);
        var result = MaintenanceJson.Read<IntegrityScanResult>(job.ResultJson);
        Assert.NotNull(result);
        return (job, result);
    }

    private static async Task<IngestResult> UploadAsync(CoreTestHost host, string fileName = "wound-left-heel.jpg", int width = 640, int height = 480)
    {
        var nurse = await host.UserAsync("nurse");
        return await host.IngestAsync(TestUploads.UniqueJpeg(width, height), fileName, "image/jpeg", nurse.Id);
    }

    private static Task<string> OriginalPathAsync(CoreTestHost host, Guid mediaFileId) =>
        host.DbAsync(db => db.MediaFiles.Where(m => m.Id == mediaFileId).Select(m => m.FilePath).SingleAsync());

    private static (uint Width, uint Height) PixelSize(string path)
    {
        var info = new MagickImageInfo(path);
        return (info.Width, info.Height);
    }

    /// <summary>Every MaintenanceJobChanged on the host's bus, in order, while subscribed.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ConcurrentQueue<MaintenanceJobChanged> _seen = new();
        private readonly IDisposable _subscription;

        public Recorder(CoreTestHost host) =>
            _subscription = host.Services.GetRequiredService<IMediaEventBus>().Subscribe<MaintenanceJobChanged>(c =>
            {
                _seen.Enqueue(c);
                return Task.CompletedTask;
            });

        public IReadOnlyList<MaintenanceJobChanged> Seen => _seen.ToList();
        public void Dispose() => _subscription.Dispose();
    }

    // ---------------------------------------------------------------- integrity scan

    [Fact]
    public async Task Scan_of_a_clean_store_succeeds_with_progress_100_and_a_readable_result()
    {
        await using var host = await CoreTestHost.CreateAsync();
        await UploadAsync(host);
        await UploadAsync(host);
        using var recorder = new Recorder(host);

        var (job, result) = await ScanAsync(host);

        Assert.Equal(100, job.Progress);
        Assert.Equal(host.Clock.UtcNow, job.StartedAt);
        Assert.Equal(host.Clock.UtcNow, job.FinishedAt);
        Assert.Null(job.Error);
        Assert.Equal("2 originals checked: no problems", job.Summary);
        Assert.Equal(2, result.Checked);
        Assert.Equal(0, result.Problems);
        Assert.Empty(result.MissingFiles);
        Assert.Empty(result.HashMismatches);
        Assert.Empty(result.Orphans);
        // Ids and paths only: the uploaded file's name (which could name a patient) is not in the result.
        Assert.DoesNotContain("wound", job.ResultJson, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"checked\":2", job.ResultJson);

        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.MaintenanceStart));
        var admin = await host.UserAsync("admin");
        Assert.Equal((admin.Id, true, "IntegrityScan"), (audit.UserId, audit.Success, audit.Details));

        // On the bus: queued, running with a rising percent below 100, then done at 100 with the summary.
        var seen = recorder.Seen.Where(c => c.JobId == job.Id).ToList();
        Assert.Equal(MaintenanceJobState.Queued, seen[0].State);
        var running = seen.Where(c => c.State == MaintenanceJobState.Running).Select(c => c.Progress).ToList();
        Assert.Contains(50, running);
        Assert.All(running, p => Assert.InRange(p, 0, 99));
        Assert.Equal(running.Order(), running);
        Assert.Equal((MaintenanceJobState.Succeeded, 100, "2 originals checked: no problems"), (seen[^1].State, seen[^1].Progress, seen[^1].Summary));
    }

    [Fact]
    public async Task Scan_reports_a_tampered_original_as_a_hash_mismatch()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var tampered = await UploadAsync(host);
        await UploadAsync(host);
        var path = host.FullPath(await OriginalPathAsync(host, tampered.MediaFileId));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        var (job, result) = await ScanAsync(host);

        Assert.Equal([tampered.MediaFileId], result.HashMismatches);
        Assert.Empty(result.MissingFiles);
        Assert.Empty(result.Orphans);
        Assert.Equal("2 originals checked: 1 hash mismatch", job.Summary);
        Assert.Contains(tampered.MediaFileId.ToString(), job.ResultJson);
    }

    [Fact]
    public async Task Scan_reports_a_removed_original_as_missing()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var removed = await UploadAsync(host);
        await UploadAsync(host);
        File.Delete(host.FullPath(await OriginalPathAsync(host, removed.MediaFileId)));

        var (job, result) = await ScanAsync(host);

        Assert.Equal([removed.MediaFileId], result.MissingFiles);
        Assert.Empty(result.HashMismatches);
        Assert.Empty(result.Orphans);
        Assert.Equal("2 originals checked: 1 missing", job.Summary);
    }

    [Fact]
    public async Task Scan_reports_a_stray_file_as_an_orphan_but_not_temp_files_or_an_upload_in_flight()
    {
        await using var host = await CoreTestHost.CreateAsync();
        await UploadAsync(host);
        var stray = $"photos/2026/02/originals/{Guid.NewGuid():D}.jpg";
        var inFlight = $"photos/2026/03/originals/{Guid.NewGuid():D}.jpg";
        foreach (var (path, age) in new[] { (stray, TimeSpan.FromHours(2)), (inFlight, TimeSpan.FromMinutes(1)) })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(host.FullPath(path))!);
            await File.WriteAllBytesAsync(host.FullPath(path), TestUploads.UniqueJpeg(32, 32));
            File.SetLastWriteTimeUtc(host.FullPath(path), host.Clock.UtcNow - age);
        }
        var temp = host.FullPath($"{LocalMediaStore.TempFolder}/{Guid.NewGuid():N}.part");
        await File.WriteAllBytesAsync(temp, [1, 2, 3]);
        File.SetLastWriteTimeUtc(temp, host.Clock.UtcNow - TimeSpan.FromHours(2));

        var (job, result) = await ScanAsync(host);

        Assert.Equal([stray], result.Orphans);
        Assert.Equal(1, result.OrphanCount);
        Assert.Equal(1, result.RecentSkipped);
        Assert.Empty(result.MissingFiles);
        Assert.Empty(result.HashMismatches);
        Assert.Equal("1 original checked: 1 file without a record", job.Summary);
        // The scan reports; it removes nothing.
        Assert.True(File.Exists(host.FullPath(stray)));
    }

    [Fact]
    public async Task A_failing_job_ends_Failed_with_a_plain_message_and_the_next_one_runs()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var upload = await UploadAsync(host);
        // A row whose path leaves the storage root: the store refuses it, and the scan stops.
        await host.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.FilePath, "../../outside/originals/x.jpg")));

        var job = await RunJobAsync(host, MaintenanceJobKind.IntegrityScan);

        Assert.Equal(MaintenanceJobState.Failed, job.State);
        Assert.NotNull(job.FinishedAt);
        Assert.StartsWith("Integrity scan stopped: an unexpected error.", job.Error);
        Assert.DoesNotContain("escapes", job.Error);
        Assert.DoesNotContain(" at ", job.Error);
        Assert.Equal("Failed at 0 %", job.Summary);

        // A failed job does not block the next one of its kind.
        var admin = await host.UserAsync("admin");
        await StartAsync(host, admin, MaintenanceJobKind.IntegrityScan);
    }

    // ---------------------------------------------------------------- queue rules

    [Fact]
    public async Task A_job_left_running_by_a_stopped_process_is_marked_interrupted_and_runs_again_after_a_restart()
    {
        await using var host = await CoreTestHost.CreateAsync();
        await UploadAsync(host);
        var admin = await host.UserAsync("admin");
        var first = await StartAsync(host, admin, MaintenanceJobKind.IntegrityScan);
        // The process claimed it, got to 40 %, and died.
        await host.DbAsync(db => db.MaintenanceJobs.Where(j => j.Id == first).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, MaintenanceJobState.Running).SetProperty(j => j.Progress, 40).SetProperty(j => j.StartedAt, host.Clock.UtcNow)));
        host.Clock.Advance(TimeSpan.FromMinutes(3));

        // The restart: the service asks for the interrupted jobs first, then runs the queue.
        var requeued = await host.WithAsync<MaintenanceRunner, int>(r => r.RequeueInterruptedAsync(CancellationToken.None));
        Assert.Equal(1, requeued);
        var interrupted = await JobAsync(host, first);
        Assert.Equal(MaintenanceJobState.Interrupted, interrupted.State);
        Assert.Equal(40, interrupted.Progress);
        Assert.Equal("Stopped at 40 % by a server restart", interrupted.Summary);
        Assert.Equal(host.Clock.UtcNow, interrupted.FinishedAt);
        var again = await host.DbAsync(db => db.MaintenanceJobs.AsNoTracking().SingleAsync(j => j.Id != first));
        Assert.Equal((MaintenanceJobKind.IntegrityScan, MaintenanceJobState.Queued, admin.Id), (again.Kind, again.State, again.RequestedById));

        Assert.True(await RunNextAsync(host));
        var finished = await JobAsync(host, again.Id);
        Assert.Equal((MaintenanceJobState.Succeeded, 100, "1 original checked: no problems"), (finished.State, finished.Progress, finished.Summary));
        Assert.False(await RunNextAsync(host));
        // A second start-up finds nothing left running.
        Assert.Equal(0, await host.WithAsync<MaintenanceRunner, int>(r => r.RequeueInterruptedAsync(CancellationToken.None)));
    }

    [Theory]
    [InlineData("nurse")]
    [InlineData("reviewer")]
    public async Task Only_an_admin_may_start_a_job(string subject)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var user = await host.UserAsync(subject);

        foreach (var kind in Enum.GetValues<MaintenanceJobKind>())
            await Assert.ThrowsAsync<ForbiddenException>(() => StartAsync(host, user, kind));

        Assert.Equal(0, await host.DbAsync(db => db.MaintenanceJobs.CountAsync()));
        Assert.False(await host.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.MaintenanceStart)));
        Assert.False(await RunNextAsync(host));
    }

    [Fact]
    public async Task A_second_job_of_a_kind_is_refused_while_one_is_queued_or_running()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var admin = await host.UserAsync("admin");
        var first = await StartAsync(host, admin, MaintenanceJobKind.IntegrityScan);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => StartAsync(host, admin, MaintenanceJobKind.IntegrityScan));
        Assert.Equal("Integrity scan is already queued or running: wait for it to finish before starting another.", refused.Message);
        // Another kind is not held up by it.
        await StartAsync(host, admin, MaintenanceJobKind.PurgeDeleted);

        await host.DbAsync(db => db.MaintenanceJobs.Where(j => j.Id == first)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, MaintenanceJobState.Running)));
        await Assert.ThrowsAsync<ValidationException>(() => StartAsync(host, admin, MaintenanceJobKind.IntegrityScan));
        Assert.Equal(1, await host.DbAsync(db => db.MaintenanceJobs.CountAsync(j => j.Kind == MaintenanceJobKind.IntegrityScan)));

        await host.DbAsync(db => db.MaintenanceJobs.Where(j => j.Id == first)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, MaintenanceJobState.Succeeded)));
        await StartAsync(host, admin, MaintenanceJobKind.IntegrityScan);
    }

    [Fact]
    public async Task Of_two_simultaneous_starts_of_a_kind_exactly_one_is_queued()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var admin = await host.UserAsync("admin");

        var attempts = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                await StartAsync(host, admin, MaintenanceJobKind.RegenerateVariants);
                return true;
            }
            catch (ValidationException)
            {
                return false;
            }
        })).ToList();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, started => started);
        Assert.Equal(1, await host.DbAsync(db => db.MaintenanceJobs.CountAsync()));
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_with_the_requester_name()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var admin = await host.UserAsync("admin");
        var scan = await StartAsync(host, admin, MaintenanceJobKind.IntegrityScan);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var purge = await StartAsync(host, admin, MaintenanceJobKind.PurgeDeleted);

        var list = await host.WithAsync<MaintenanceJobs, IReadOnlyList<MaintenanceJobView>>(j => j.ListAsync());

        Assert.Equal([purge, scan], list.Select(j => j.Id));
        Assert.All(list, j => Assert.Equal("Ada Okafor", j.RequestedByName));
        Assert.All(list, j => Assert.True(j.IsActive));
        var one = await host.WithAsync<MaintenanceJobs, MaintenanceJobView?>(j => j.GetAsync(scan));
        Assert.Equal(MaintenanceJobKind.IntegrityScan, one?.Kind);
        Assert.Null(await host.WithAsync<MaintenanceJobs, MaintenanceJobView?>(j => j.GetAsync(Guid.NewGuid())));
    }

    [Fact]
    public async Task In_the_app_the_background_service_runs_a_queued_job_with_nobody_waiting_on_it()
    {
        await using var app = new MediaFilesWebFactory();
        await app.InitializeAsync();
        var admin = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Subject == "admin"));
        var user = new CurrentUser(admin.Id, admin.DisplayName, admin.Role, new HashSet<Guid>());

        var finished = new TaskCompletionSource<MaintenanceJobChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = app.Services.GetRequiredService<IMediaEventBus>().Subscribe<MaintenanceJobChanged>(c =>
        {
            if (c.State is MaintenanceJobState.Succeeded or MaintenanceJobState.Failed) finished.TrySetResult(c);
            return Task.CompletedTask;
        });
        Guid id;
        await using (var scope = app.Services.CreateAsyncScope())
            id = await scope.ServiceProvider.GetRequiredService<MaintenanceJobs>().StartAsync(user, MaintenanceJobKind.IntegrityScan);
        // The scope that asked (a page's circuit) is gone: the hosted service picks the job up on its own.

        var done = await finished.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(id, done.JobId);
        var job = await app.DbAsync(db => db.MaintenanceJobs.AsNoTracking().SingleAsync(j => j.Id == id));
        Assert.Equal((MaintenanceJobState.Succeeded, 100), (job.State, job.Progress));
        Assert.Equal("0 originals checked: no problems", job.Summary);
    }

    // ---------------------------------------------------------------- regenerate variants

    [Fact]
    public async Task Regenerate_rewrites_the_thumbnail_at_the_new_size_and_leaves_the_original_byte_identical()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var upload = await UploadAsync(host, width: 640, height: 480);
        var original = await OriginalPathAsync(host, upload.MediaFileId);
        var thumbnail = host.FullPath(StoragePaths.Variant(original, MediaVariant.Thumbnail));
        var large = host.FullPath(StoragePaths.Variant(original, MediaVariant.Large));
        Assert.Equal((200u, 150u), PixelSize(thumbnail));
        var originalBytes = await File.ReadAllBytesAsync(host.FullPath(original));
        var filesBefore = host.StoredFiles();

        // The admin lowered the thumbnail size (and restarted).
        host.Options.Images.Thumbnail = new VariantSpec(120, 75);
        var job = await RunJobAsync(host, MaintenanceJobKind.RegenerateVariants);

        Assert.Equal((MaintenanceJobState.Succeeded, 100), (job.State, job.Progress));
        Assert.Equal((120u, 90u), PixelSize(thumbnail));
        Assert.Equal((640u, 480u), PixelSize(large));
        Assert.Equal(originalBytes, await File.ReadAllBytesAsync(host.FullPath(original)));
        Assert.Equal(filesBefore, host.StoredFiles());
        Assert.Empty(host.TempFiles());
        var result = MaintenanceJson.Read<RegenerateResult>(job.ResultJson);
        Assert.NotNull(result);
        Assert.Equal((1, 0, 3, 0), (result.Images, result.Videos, result.FilesWritten, result.FailedCount));
        Assert.Equal("1 photo and 0 clips: 3 files written", job.Summary);

        // The original still hashes to its row: a scan afterwards is clean.
        var (_, scan) = await ScanAsync(host);
        Assert.Equal(0, scan.Problems);
    }

    [Fact]
    public async Task Regenerate_rewrites_a_clips_poster_thumbnail_and_reports_a_photo_whose_original_is_gone()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var clip = await host.IngestVideoAsync(await TestClips.UniqueH264Mp4Async(), nurse.Id);
        var clipOriginal = await OriginalPathAsync(host, clip.MediaFileId);
        var poster = host.FullPath(StoragePaths.Variant(clipOriginal, MediaVariant.Thumbnail));
        Assert.Equal((200u, 150u), PixelSize(poster));
        var clipBytes = await File.ReadAllBytesAsync(host.FullPath(clipOriginal));
        var broken = await UploadAsync(host);
        var brokenOriginal = await OriginalPathAsync(host, broken.MediaFileId);
        var brokenThumbnail = host.FullPath(StoragePaths.Variant(brokenOriginal, MediaVariant.Thumbnail));
        var brokenThumbnailBytes = await File.ReadAllBytesAsync(brokenThumbnail);
        File.Delete(host.FullPath(brokenOriginal));

        host.Options.Images.Thumbnail = new VariantSpec(100, 75);
        var job = await RunJobAsync(host, MaintenanceJobKind.RegenerateVariants);

        Assert.Equal(MaintenanceJobState.Succeeded, job.State);
        Assert.Equal((100u, 75u), PixelSize(poster));
        Assert.Equal(clipBytes, await File.ReadAllBytesAsync(host.FullPath(clipOriginal)));
        // The photo without its original keeps its old variants, and is named in the result.
        Assert.Equal(brokenThumbnailBytes, await File.ReadAllBytesAsync(brokenThumbnail));
        var result = MaintenanceJson.Read<RegenerateResult>(job.ResultJson);
        Assert.NotNull(result);
        Assert.Equal((0, 1, 2, 1), (result.Images, result.Videos, result.FilesWritten, result.FailedCount));
        Assert.Equal([broken.MediaFileId], result.Failed);
        Assert.Equal("0 photos and 1 clip: 2 files written, 1 failed", job.Summary);
        Assert.Empty(host.TempFiles());
    }

    // ---------------------------------------------------------------- purge deleted

    [Fact]
    public async Task Purge_removes_an_entry_deleted_longer_than_the_retention_ago_with_its_files_and_keeps_a_recent_one()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);

        async Task<(Guid PhotoId, Guid MediaFileId)> AddAndDeleteAsync()
        {
            var upload = await UploadAsync(host);
            var photo = await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(nurse, patient, upload.UploadId, "", host.Clock.UtcNow));
            await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, photo));
            return (photo, upload.MediaFileId);
        }

        var old = await AddAndDeleteAsync();
        var oldFiles = new BlobFiles(await OriginalPathAsync(host, old.MediaFileId), "image/jpeg").Owned;
        host.Clock.Advance(TimeSpan.FromDays(20));
        var recent = await AddAndDeleteAsync();
        var recentFiles = new BlobFiles(await OriginalPathAsync(host, recent.MediaFileId), "image/jpeg").Owned;
        host.Clock.Advance(TimeSpan.FromDays(11)); // old: deleted 31 days ago; recent: 11 days ago (retention 30)
        Assert.All(oldFiles.Concat(recentFiles), f => Assert.True(File.Exists(host.FullPath(f)), f));

        var job = await RunJobAsync(host, MaintenanceJobKind.PurgeDeleted);

        Assert.Equal((MaintenanceJobState.Succeeded, 100), (job.State, job.Progress));
        Assert.Equal("1 deleted entry purged, 4 files removed", job.Summary);
        Assert.Contains("\"eventsPurged\":1", job.ResultJson);
        Assert.False(await host.DbAsync(db => db.Events.IgnoreQueryFilters().AnyAsync(e => e.Id == old.PhotoId)));
        Assert.False(await host.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == old.MediaFileId)));
        Assert.All(oldFiles, f => Assert.False(File.Exists(host.FullPath(f)), f));

        var kept = await host.DbAsync(db => db.Events.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == recent.PhotoId));
        Assert.NotNull(kept.DeletedAt);
        Assert.True(await host.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == recent.MediaFileId)));
        Assert.All(recentFiles, f => Assert.True(File.Exists(host.FullPath(f)), f));
    }
}
