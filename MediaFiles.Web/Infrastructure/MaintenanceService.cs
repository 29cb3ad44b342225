using MediaFiles.Core.Maintenance;

namespace MediaFiles.Web.Infrastructure;

/// <summary>
/// Runs the admin maintenance jobs (integrity scan, regenerate variants, purge deleted) queued in the
/// database, one at a time and oldest first, each through a fresh DI scope. At start, jobs a stopped
/// process left running are marked Interrupted and queued again. Woken by
/// <see cref="MaintenanceSignal"/> when a job is queued, and looking every few seconds in case a
/// wake-up was missed. The jobs run here, not in the page's circuit, so closing the tab stops nothing.
/// </summary>
public sealed class MaintenanceService(IServiceScopeFactory scopes, MaintenanceSignal signal, ILogger<MaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var requeued = await scope.ServiceProvider.GetRequiredService<MaintenanceRunner>().RequeueInterruptedAsync(stoppingToken);
            if (requeued > 0) logger.LogInformation("Queued {Count} interrupted maintenance jobs again", requeued);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Interrupted maintenance jobs could not be queued again");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            bool ran;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                ran = await scope.ServiceProvider.GetRequiredService<MaintenanceRunner>().RunNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The runner records a job's own failure in its row; this is the queue itself failing (e.g. the database).
                logger.LogError(ex, "The maintenance queue failed unexpectedly");
                ran = false;
            }
            if (!ran)
            {
                try { await signal.WaitAsync(Poll, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
