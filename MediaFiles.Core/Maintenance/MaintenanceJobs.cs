using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Background;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Maintenance;

/// <summary>A maintenance job as the admin page lists it: its row and the requester's name.</summary>
public sealed record MaintenanceJobView(
    Guid Id, MaintenanceJobKind Kind, MaintenanceJobState State, int Progress, string RequestedByName,
    DateTime RequestedAt, DateTime? StartedAt, DateTime? FinishedAt, string Summary, string ResultJson, string? Error)
{
    /// <summary>Queued or running: another job of this kind is refused meanwhile.</summary>
    public bool IsActive => State is MaintenanceJobState.Queued or MaintenanceJobState.Running;

    /// <summary>From start to finish; null while it has not both started and finished.</summary>
    public TimeSpan? Duration => StartedAt is { } started && FinishedAt is { } finished ? finished - started : null;
}

/// <summary>Names and sentences for the jobs, shared by the page, the summaries and the messages.</summary>
public static class MaintenanceText
{
    public static string Name(MaintenanceJobKind kind) => kind switch
    {
        MaintenanceJobKind.IntegrityScan => "Integrity scan",
        MaintenanceJobKind.RegenerateVariants => "Regenerate variants",
        MaintenanceJobKind.PurgeDeleted => "Purge deleted",
        _ => kind.ToString(),
    };
}

/// <summary>
/// Asks for maintenance jobs and reads them back. A job is a row (<see cref="MaintenanceJob"/>): the
/// background worker (<see cref="MaintenanceRunner"/>) runs it whether or not the page that asked is
/// still open, and its result stays in the row.
/// </summary>
public sealed class MaintenanceJobs(MediaFilesDbContext db, AuditLog audit, WorkSignal<MaintenanceRunner> signal, IMediaEventBus bus, TimeProvider clock)
{
    public const int DefaultTake = 20;
    private const int MaxTake = 200;

    /// <summary>Queues a job: admins only, and one of each kind at a time. Returns its id.</summary>
    /// <exception cref="ForbiddenException">The user is not an admin.</exception>
    /// <exception cref="ValidationException">A job of this kind is already queued or running.</exception>
    public async Task<Guid> StartAsync(CurrentUser admin, MaintenanceJobKind kind, CancellationToken ct = default)
    {
        if (!admin.IsInRole(Roles.Admin))
            throw new ForbiddenException("Only an admin can start maintenance jobs.");
        if (!Enum.IsDefined(kind))
            throw new ValidationException("There is no such maintenance job.");

        var job = new MaintenanceJob
        {
            Kind = kind,
            State = MaintenanceJobState.Queued,
            RequestedById = admin.Id,
            RequestedAt = clock.GetUtcNow().UtcDateTime,
        };
        // SQLite starts a transaction with BEGIN IMMEDIATE (it takes the write lock): the check and the
        // insert are one writer's turn, so two admins clicking at once cannot both get past the check.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var active = await db.MaintenanceJobs.AnyAsync(j => j.Kind == kind
                && (j.State == MaintenanceJobState.Queued || j.State == MaintenanceJobState.Running), ct);
            if (active)
                throw new ValidationException($"{MaintenanceText.Name(kind)} is already queued or running: wait for it to finish before starting another.");
            db.MaintenanceJobs.Add(job);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();

        await audit.WriteAsync(AuditActions.MaintenanceStart, admin.Id, true, details: kind.ToString(), ct: ct);
        bus.Publish(new MaintenanceJobChanged(job.Id, kind, MaintenanceJobState.Queued, 0, ""));
        signal.Wake();
        return job.Id;
    }

    /// <summary>The most recently requested jobs, newest first.</summary>
    public async Task<IReadOnlyList<MaintenanceJobView>> ListAsync(int take = DefaultTake, CancellationToken ct = default) =>
        await Views(db.MaintenanceJobs.AsNoTracking()
                .OrderByDescending(j => j.RequestedAt)
                .Take(Math.Clamp(take, 1, MaxTake)))
            .ToListAsync(ct);

    /// <summary>One job, or null when there is none with this id.</summary>
    public Task<MaintenanceJobView?> GetAsync(Guid id, CancellationToken ct = default) =>
        Views(db.MaintenanceJobs.AsNoTracking().Where(j => j.Id == id)).FirstOrDefaultAsync(ct);

    private static IQueryable<MaintenanceJobView> Views(IQueryable<MaintenanceJob> jobs) =>
        jobs.Select(j => new MaintenanceJobView(j.Id, j.Kind, j.State, j.Progress, j.RequestedBy!.DisplayName,
            j.RequestedAt, j.StartedAt, j.FinishedAt, j.Summary, j.ResultJson, j.Error));
}
