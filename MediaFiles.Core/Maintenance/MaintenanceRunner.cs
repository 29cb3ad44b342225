using System.Data.Common;
using MediaFiles.Core.Background;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Trash;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Maintenance;

/// <summary>
/// Runs the maintenance jobs queued in the database, oldest first, one at a time (a
/// <see cref="IWorkQueue"/> for the queue-worker host). The percent goes on the bus as it moves and
/// into the row every <see cref="SaveEveryPercent"/> points (so a page opened later shows it), through
/// <see cref="ProgressWriter"/>; the result goes into the row as a one-line summary and JSON. A job
/// left Running by a stopped process is marked Interrupted at the next start and queued again as a
/// new job (every job is safe to run again from the start).
/// </summary>
public sealed class MaintenanceRunner(
    MediaFilesDbContext db,
    IServiceScopeFactory scopes,
    IMediaStore store,
    ProgressWriter progressWriter,
    IMediaEventBus bus,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock,
    ILogger<MaintenanceRunner> logger) : IWorkQueue
{
    public const int SaveEveryPercent = 5;

    private static readonly ProgressThrottle SaveProgress = new(SaveEveryPercent, TimeSpan.Zero);

    string IWorkQueue.JobsName => "maintenance jobs";

    /// <summary>One at a time: the jobs walk the whole store and database.</summary>
    int IWorkQueue.Concurrency => 1;

    TimeSpan IWorkQueue.PollInterval => TimeSpan.FromSeconds(5);

    Task<bool> IWorkQueue.CanRunAsync() => Task.FromResult(true);

    /// <summary>
    /// A file without a row younger than this is not reported: an upload places its files a moment
    /// before its row commits. The same age as the sweeper's in-flight grace, so every orphan a scan
    /// reports is one the next sweep removes.
    /// </summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromHours(1);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// At start: jobs a previous process left Running are marked Interrupted (kept in the history,
    /// with the percent they reached) and each is queued again as a new job for the same admin.
    /// Only call this when no runner is alive (one app instance, at its start). Returns how many were queued again.
    /// </summary>
    public async Task<int> RequeueInterruptedAsync(CancellationToken ct)
    {
        var left = await db.MaintenanceJobs.AsNoTracking()
            .Where(j => j.State == MaintenanceJobState.Running)
            .Select(j => new { j.Id, j.Kind, j.Progress, j.RequestedById })
            .ToListAsync(ct);
        var requeued = 0;
        foreach (var job in left)
        {
            var now = Now;
            var summary = $"Stopped at {job.Progress} % by a server restart";
            Guid? again = null;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var another = await db.MaintenanceJobs.AnyAsync(j => j.Id != job.Id && j.Kind == job.Kind
                    && (j.State == MaintenanceJobState.Queued || j.State == MaintenanceJobState.Running), ct);
                var marked = await db.MaintenanceJobs.Where(j => j.Id == job.Id && j.State == MaintenanceJobState.Running)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.State, MaintenanceJobState.Interrupted)
                        .SetProperty(j => j.FinishedAt, now)
                        .SetProperty(j => j.Summary, summary)
                        .SetProperty(j => j.Error, another
                            ? "The server stopped while this job ran."
                            : "The server stopped while this job ran. It was queued again and starts over."), ct);
                if (marked == 0) continue;
                if (!another)
                {
                    var copy = new MaintenanceJob { Kind = job.Kind, State = MaintenanceJobState.Queued, RequestedById = job.RequestedById, RequestedAt = now };
                    db.MaintenanceJobs.Add(copy);
                    await db.SaveChangesAsync(ct);
                    again = copy.Id;
                }
                await tx.CommitAsync(ct);
            }
            db.ChangeTracker.Clear();
            logger.LogWarning("Maintenance job {JobId} ({Kind}) was interrupted by a restart at {Progress} %; queued again as {NewJobId}",
                job.Id, job.Kind, job.Progress, again);
            Publish(job.Id, job.Kind, MaintenanceJobState.Interrupted, job.Progress, summary);
            if (again is { } id)
            {
                requeued++;
                Publish(id, job.Kind, MaintenanceJobState.Queued, 0, "");
            }
        }
        return requeued;
    }

    /// <summary>Claims the oldest queued job and runs it to the end. False when nothing was queued.</summary>
    /// <remarks>
    /// A stop (<paramref name="ct"/> cancelled) leaves the job Running: <see cref="RequeueInterruptedAsync"/>
    /// picks it up at the next start, as it does after a crash.
    /// </remarks>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        var next = await db.MaintenanceJobs.AsNoTracking()
            .Where(j => j.State == MaintenanceJobState.Queued)
            .OrderBy(j => j.RequestedAt)
            .Select(j => new { j.Id, j.Kind })
            .FirstOrDefaultAsync(ct);
        if (next is null) return false;
        var started = Now;
        // Claim it: of two runners that read the same queued job, only one changes its state.
        var claimed = await db.MaintenanceJobs.Where(j => j.Id == next.Id && j.State == MaintenanceJobState.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, MaintenanceJobState.Running)
                .SetProperty(j => j.Progress, 0)
                .SetProperty(j => j.StartedAt, started), ct);
        if (claimed == 0) return true;
        logger.LogInformation("Maintenance job {JobId} ({Kind}) started", next.Id, next.Kind);
        Publish(next.Id, next.Kind, MaintenanceJobState.Running, 0, "");

        var id = next.Id;
        var progress = progressWriter.Start(id,
            (progressDb, percent) => progressDb.MaintenanceJobs.Where(j => j.Id == id && j.State == MaintenanceJobState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, percent)),
            percent => Publish(id, next.Kind, MaintenanceJobState.Running, percent, ""),
            SaveProgress);
        try
        {
            var (summary, resultJson) = await RunAsync(next.Kind, progress, ct);
            await progress.FlushAsync();
            await FinishAsync(next.Id, next.Kind, MaintenanceJobState.Succeeded, 100, summary, resultJson, null);
            logger.LogInformation("Maintenance job {JobId} ({Kind}) finished: {Summary}", next.Id, next.Kind, summary);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await progress.FlushAsync();
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Maintenance job {JobId} ({Kind}) failed", next.Id, next.Kind);
            await progress.FlushAsync();
            await FinishAsync(next.Id, next.Kind, MaintenanceJobState.Failed, progress.Last,
                $"Failed at {progress.Last} %", "{}", FailureMessage(next.Kind, ex));
        }
        return true;
    }

    /// <summary>The job's work, in a scope of its own: its DbContext is not the one that saves the progress.</summary>
    private async Task<(string Summary, string ResultJson)> RunAsync(MaintenanceJobKind kind, IProgress<int> progress, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (kind)
        {
            case MaintenanceJobKind.IntegrityScan:
                var report = await services.GetRequiredService<IntegrityScanner>().ScanAsync(progress, ct);
                var scan = await WithoutInFlightAsync(report, services.GetRequiredService<MediaFilesDbContext>(), ct);
                return (scan.Summary(), MaintenanceJson.Write(scan));
            case MaintenanceJobKind.RegenerateVariants:
                var regenerated = await services.GetRequiredService<VariantRegenerator>().RegenerateAsync(progress, ct);
                return (regenerated.Summary(), MaintenanceJson.Write(regenerated));
            case MaintenanceJobKind.PurgeDeleted:
                var purged = await services.GetRequiredService<DeletedEvents>().PurgeExpiredAsync(progress, ct);
                return (PurgeSummary(purged), MaintenanceJson.Write(purged));
            default:
                throw new InvalidOperationException($"No runner for maintenance job kind {kind}.");
        }
    }

    /// <summary>
    /// The scanner lists the rows first and the files last, so a blob committed while it hashed looks
    /// unowned: such files are looked up again by the id in their name. Files written within
    /// <see cref="InFlightGrace"/> are not reported (counted as RecentSkipped).
    /// </summary>
    private async Task<IntegrityScanResult> WithoutInFlightAsync(IntegrityReport report, MediaFilesDbContext scanDb, CancellationToken ct)
    {
        var orphans = report.Orphans;
        var recent = 0;
        if (orphans.Count > 0)
        {
            var candidates = orphans.ToHashSet(StringComparer.Ordinal);
            var ids = candidates.Select(p => Guid.TryParse(Path.GetFileNameWithoutExtension(p), out var id) ? id : (Guid?)null)
                .OfType<Guid>().Distinct().ToList();
            var owners = await scanDb.MediaFiles.AsNoTracking().Where(m => ids.Contains(m.Id))
                .Select(m => new { m.FilePath, m.MimeType, m.PlayableState }).ToListAsync(ct);
            var ownedNow = owners.SelectMany(o => new BlobFiles(o.FilePath, o.MimeType, o.PlayableState).Owned).ToHashSet(StringComparer.Ordinal);
            var written = store.EnumerateFiles().Where(f => candidates.Contains(f.RelativePath))
                .ToDictionary(f => f.RelativePath, f => f.LastWriteUtc, StringComparer.Ordinal);
            var now = Now;
            var kept = new List<string>();
            foreach (var path in orphans)
            {
                if (ownedNow.Contains(path)) continue;
                // Gone since the scan listed it (the sweeper, a purge): nothing left to report.
                if (!written.TryGetValue(path, out var lastWrite)) continue;
                if (now - lastWrite < InFlightGrace)
                {
                    recent++;
                    continue;
                }
                kept.Add(path);
            }
            orphans = kept;
        }
        return new IntegrityScanResult(report.Checked, report.MissingFiles.Count, report.HashMismatches.Count, orphans.Count,
            report.MissingFiles.Take(IntegrityScanResult.MaxListed).ToList(),
            report.HashMismatches.Take(IntegrityScanResult.MaxListed).ToList(),
            orphans.Order(StringComparer.Ordinal).Take(IntegrityScanResult.MaxListed).ToList(),
            recent);
    }

    private string PurgeSummary(PurgeResult result)
    {
        var days = $"{options.Value.DeletedRetention.TotalDays:0}-day";
        return result.EventsPurged == 0
            ? $"Nothing was deleted longer ago than the {days} retention"
            : $"{result.EventsPurged} deleted {IntegrityScanResult.Plural(result.EventsPurged, "entry", "entries")} purged, " +
              $"{result.FilesDeleted} {IntegrityScanResult.Plural(result.FilesDeleted, "file", "files")} removed";
    }

    /// <summary>For the admin: what kind of trouble, never the exception's text or stack (that goes to the log).</summary>
    private string FailureMessage(MaintenanceJobKind kind, Exception ex)
    {
        var what = ex switch
        {
            IOException or UnauthorizedAccessException => "a file in the media folder could not be read or written",
            DbException or DbUpdateException => "the database refused a read or a change",
            _ => "an unexpected error",
        };
        return $"{MaintenanceText.Name(kind)} stopped: {what}. The server log of {Now:yyyy-MM-dd HH:mm} UTC has the details.";
    }

    private async Task FinishAsync(Guid id, MaintenanceJobKind kind, MaintenanceJobState state, int progress, string summary, string resultJson, string? error)
    {
        var finished = Now;
        summary = Clip(summary);
        error = error is null ? null : Clip(error);
        // Not cancellable: a job that ran to its end is recorded even while the app stops.
        await db.MaintenanceJobs.Where(j => j.Id == id && j.State == MaintenanceJobState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, state)
                .SetProperty(j => j.Progress, progress)
                .SetProperty(j => j.FinishedAt, finished)
                .SetProperty(j => j.Summary, summary)
                .SetProperty(j => j.ResultJson, resultJson)
                .SetProperty(j => j.Error, error), CancellationToken.None);
        Publish(id, kind, state, progress, summary);
    }

    private static string Clip(string text) => text.Length <= 500 ? text : text[..499] + "…";

    private void Publish(Guid id, MaintenanceJobKind kind, MaintenanceJobState state, int progress, string summary) =>
        bus.Publish(new MaintenanceJobChanged(id, kind, state, progress, summary));
}
