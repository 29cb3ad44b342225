using MediaFiles.Core;
using MediaFiles.Core.Video;
using Microsoft.Extensions.Options;

namespace MediaFiles.Web.Infrastructure;

/// <summary>
/// Runs the transcode queue: at start, jobs a stopped process left running are queued again; then
/// it works through queued clips (TranscodeConcurrency at a time, one by default), woken by new
/// uploads and checking every minute in case a wake-up was missed.
/// </summary>
public sealed class TranscodeService(IServiceScopeFactory scopes, TranscodeSignal signal, Ffmpeg ffmpeg, IOptions<MediaFilesOptions> options, ILogger<TranscodeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await ffmpeg.IsAvailableAsync())
        {
            logger.LogWarning("ffmpeg is not installed: video clips cannot be converted (apt-get install ffmpeg)");
            return;
        }
        await using (var scope = scopes.CreateAsyncScope())
        {
            var requeued = await scope.ServiceProvider.GetRequiredService<TranscodeQueue>().RequeueInterruptedAsync(stoppingToken);
            if (requeued > 0) logger.LogInformation("Queued {Count} interrupted transcodes again", requeued);
        }
        var workers = Enumerable.Range(0, Math.Max(1, options.Value.Videos.TranscodeConcurrency)).Select(_ => WorkAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool ran;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                ran = await scope.ServiceProvider.GetRequiredService<TranscodeQueue>().RunNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A transcode job failed unexpectedly");
                ran = false;
            }
            if (!ran)
            {
                try { await signal.WaitAsync(TimeSpan.FromMinutes(1), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
