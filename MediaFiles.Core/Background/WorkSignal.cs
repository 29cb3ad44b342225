namespace MediaFiles.Core.Background;

/// <summary>
/// Wakes the worker of one queue (<typeparamref name="TQueue"/>) when a job has been queued, so it
/// starts at once instead of at its next poll. A singleton per queue type; a wake-up given while the
/// worker is busy is kept and the worker looks again when it is done.
/// </summary>
/// <typeparam name="TQueue">The queue whose worker this wakes (e.g. <c>TranscodeQueue</c>, <c>MaintenanceRunner</c>).</typeparam>
public sealed class WorkSignal<TQueue> where TQueue : IWorkQueue
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Wake() => _signal.Release();

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
