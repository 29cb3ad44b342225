using MediaFiles.Core.Background;

namespace MediaFiles.Web.Infrastructure;

/// <summary>
/// The one host of background work: runs any persistent queue (<see cref="IWorkQueue"/> — the
/// transcodes, the maintenance jobs) outside every request and circuit, so closing a tab stops
/// nothing. At start it asks the queue whether its jobs can run here (when not, the queue has logged
/// why and the worker stays idle) and queues again the jobs a stopped process left running; then
/// <see cref="IWorkQueue.Concurrency"/> workers each run the next job, each call in a fresh DI
/// scope, and sleep when the queue is empty until <see cref="WorkSignal{TQueue}"/> wakes them or
/// <see cref="IWorkQueue.PollInterval"/> passes (in case a wake-up was missed).
/// </summary>
public sealed class QueueWorkerService<TQueue>(IServiceScopeFactory scopes, WorkSignal<TQueue> signal, ILogger<QueueWorkerService<TQueue>> logger)
    : BackgroundService where TQueue : class, IWorkQueue
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int concurrency;
        TimeSpan poll;
        string jobs;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<TQueue>();
            (concurrency, poll, jobs) = (Math.Max(1, queue.Concurrency), queue.PollInterval, queue.JobsName);
            try
            {
                if (!await queue.CanRunAsync()) return;
                var requeued = await queue.RequeueInterruptedAsync(stoppingToken);
                if (requeued > 0) logger.LogInformation("Queued {Count} interrupted {Jobs} again", requeued, jobs);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The queued jobs still run; the interrupted ones wait for the next start.
                logger.LogError(ex, "Interrupted {Jobs} could not be queued again", jobs);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => WorkAsync(poll, jobs, stoppingToken)));
    }

    private async Task WorkAsync(TimeSpan poll, string jobs, CancellationToken stoppingToken)
    {
        // Off the host's start-up path: StartAsync returns at the first await.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            bool ran;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                ran = await scope.ServiceProvider.GetRequiredService<TQueue>().RunNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A job records its own failure in its row; this is the queue itself failing (e.g. the database).
                logger.LogError(ex, "The queue of {Jobs} failed unexpectedly", jobs);
                ran = false;
            }
            if (!ran)
            {
                try { await signal.WaitAsync(poll, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
