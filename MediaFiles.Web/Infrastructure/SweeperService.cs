using MediaFiles.Core;
using MediaFiles.Core.Ingest;
using Microsoft.Extensions.Options;

namespace MediaFiles.Web.Infrastructure;

/// <summary>Runs the staged-upload sweeper on its interval.</summary>
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
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
