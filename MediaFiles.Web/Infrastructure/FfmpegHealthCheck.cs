using MediaFiles.Core.Ingest;
using MediaFiles.Core.Video;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaFiles.Web.Infrastructure;

/// <summary>Degraded, with what to install, when ffmpeg is missing: photos work, video does not.</summary>
public sealed class FfmpegHealthCheck(Ffmpeg ffmpeg) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await ffmpeg.IsAvailableAsync()
            ? HealthCheckResult.Healthy("ffmpeg and ffprobe are installed")
            : HealthCheckResult.Degraded(VideoIngestPipeline.FfmpegMissingMessage);
}
