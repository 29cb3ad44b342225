using MediaFiles.Core;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Trash;
using Microsoft.Extensions.Options;

namespace MediaFiles.Web.Infrastructure;

/// <summary>
/// On its interval: sweeps expired staged uploads and leftovers, and purges deleted entries past
/// their retention (the same purge an admin can start from the maintenance page).
/// </summary>
public sealed class SweeperService(IServiceScopeFactory scopes, IOptions<MediaFilesOptions> options, ILogger<SweeperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<StagedUploadSweeper>().SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Sweeping staged uploads failed");
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<DeletedEvents>().PurgeExpiredAsync(null, stoppingToken);
                if (purged.EventsPurged > 0)
                    logger.LogInformation("Purged {Events} deleted entries past their retention ({Blobs} blobs, {Files} files removed)",
                        purged.EventsPurged, purged.BlobsDeleted, purged.FilesDeleted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Purging deleted entries failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
