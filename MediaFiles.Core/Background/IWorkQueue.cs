namespace MediaFiles.Core.Background;

/// <summary>
/// A queue of jobs kept in the database, so it survives a restart, run by the one queue-worker host
/// (<c>MediaFiles.Web/Infrastructure/QueueWorkerService</c>). The host resolves the queue from a
/// fresh DI scope for every call; the queue says how it is to be run.
/// </summary>
public interface IWorkQueue
{
    /// <summary>The jobs in a log line, plural ("transcodes", "maintenance jobs").</summary>
    string JobsName { get; }

    /// <summary>How many jobs run at once (at least one).</summary>
    int Concurrency { get; }

    /// <summary>How long an idle worker sleeps before it looks again, in case a wake-up was missed.</summary>
    TimeSpan PollInterval { get; }

    /// <summary>
    /// Whether the jobs can run on this server at all; when not, the queue logs why and the worker
    /// stays idle (the jobs stay queued for a server that can run them).
    /// </summary>
    Task<bool> CanRunAsync();

    /// <summary>At start, before any job runs: jobs a stopped process left running are queued again. Returns how many.</summary>
    Task<int> RequeueInterruptedAsync(CancellationToken ct);

    /// <summary>
    /// Claims the oldest queued job and runs it to its end, recording its own failure in its row.
    /// False when nothing was queued. Cancelled only when the app stops: the job is then left for
    /// <see cref="RequeueInterruptedAsync"/> at the next start.
    /// </summary>
    Task<bool> RunNextAsync(CancellationToken ct);
}
