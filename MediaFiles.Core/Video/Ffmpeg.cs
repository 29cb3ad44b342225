using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Enums;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Video;

/// <summary>ffmpeg or ffprobe did not finish, or failed. The message is for logs; users get their own.</summary>
public sealed class FfmpegFailedException(string message, bool timedOut = false) : Exception(message)
{
    public bool TimedOut { get; } = timedOut;
}

/// <summary>
/// Every ffmpeg and ffprobe run, supervised: each has a timeout and is killed when it passes it,
/// and ffmpeg's stderr goes to the log, never to the user.
/// </summary>
public sealed class Ffmpeg(IOptions<MediaFilesOptions> options, ILogger<Ffmpeg> logger)
{
    private static readonly SemaphoreSlim AvailabilityLock = new(1, 1);
    private bool? _available;
    private VideoOptions Video => options.Value.Videos;

    private FFOptions FfOptions => new() { BinaryFolder = Video.FfmpegFolder ?? "" };

    /// <summary>Whether ffmpeg and ffprobe run here (checked once, then remembered).</summary>
    public async Task<bool> IsAvailableAsync()
    {
        if (_available is { } known) return known;
        await AvailabilityLock.WaitAsync();
        try
        {
            _available ??= await RunsAsync("ffmpeg") && await RunsAsync("ffprobe");
            return _available.Value;
        }
        finally
        {
            AvailabilityLock.Release();
        }
    }

    private async Task<bool> RunsAsync(string tool)
    {
        var path = string.IsNullOrEmpty(Video.FfmpegFolder) ? tool : Path.Combine(Video.FfmpegFolder, tool);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, "-version") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null) return false;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cts.Token);
            return process.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException or InvalidOperationException)
        {
            logger.LogWarning("{Tool} is not available: {Reason}", tool, ex.Message);
            return false;
        }
    }

    public async Task<IMediaAnalysis> ProbeAsync(string path, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Video.ProbeTimeout);
        try
        {
            return await FFProbe.AnalyseAsync(path, FfOptions, null, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("ffprobe timed out after {Timeout}", Video.ProbeTimeout);
            throw new FfmpegFailedException("ffprobe timed out", timedOut: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogInformation("ffprobe could not read a file: {Error}", ex.Message);
            throw new FfmpegFailedException("ffprobe failed: " + ex.Message);
        }
    }

    /// <summary>One representative frame (ffmpeg's thumbnail filter over the frames after <paramref name="at"/>), rotation applied, as PNG.</summary>
    public Task ExtractFrameAsync(string input, string outputPng, TimeSpan at, CancellationToken ct) =>
        RunAsync("poster", FFMpegArguments
            .FromFileInput(input, false, o => o.WithCustomArgument($"-ss {at.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}"))
            .OutputToFile(outputPng, true, o => o.WithCustomArgument("-an -vf thumbnail=24 -frames:v 1 -f image2 -c:v png")),
            Video.ProbeTimeout, ct);

    /// <summary>
    /// Whether the file is whole: first its container (<see cref="ContainerCheck"/>: declared sizes
    /// against the file's length), then a decode of its last stretch from the last keyframe to the
    /// end. The decode starts on a keyframe, so a long GOP does not read as damage; what a decoder
    /// says of the frames it had to skip (an open GOP's leading frames, which refer back past the
    /// keyframe) is not counted either.
    /// </summary>
    public async Task<bool> DecodesToTheEndAsync(string input, bool isoMedia, TimeSpan duration, CancellationToken ct)
    {
        if (!ContainerCheck.IsComplete(input, isoMedia))
        {
            logger.LogInformation("A clip's container declares more bytes than the file has, or has no moov box");
            return false;
        }
        var errors = new List<string>();
        try
        {
            var from = await LastKeyframeAsync(input, duration, ct);
            var at = from.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);
            await RunAsync("tail check", FFMpegArguments
                .FromFileInput(input, false, o => o.WithCustomArgument($"-ss {at}"))
                .OutputToFile("-", false, o => o.WithCustomArgument("-map 0:v:0 -f null")),
                Video.ProbeTimeout, ct, line => { if (IsDecodeError(line)) errors.Add(line); });
        }
        catch (FfmpegFailedException)
        {
            return false;
        }
        if (errors.Count > 0)
            logger.LogInformation("The tail of a clip does not decode cleanly: {Errors}", string.Join(" | ", errors.Take(5)));
        return errors.Count == 0;
    }

    /// <summary>
    /// The time of the last video keyframe, from the packet flags in the last 30 s of the file
    /// (the whole file when that stretch has none: a clip with one keyframe).
    /// </summary>
    internal async Task<TimeSpan> LastKeyframeAsync(string input, TimeSpan duration, CancellationToken ct)
    {
        var lookBack = Math.Max(0, duration.TotalSeconds - 30);
        string[] intervals = lookBack > 0 ? [lookBack.ToString("0.###", CultureInfo.InvariantCulture) + "%", ""] : [""];
        foreach (var interval in intervals)
        {
            string[] args = ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0"];
            if (interval.Length > 0) args = [.. args, "-read_intervals", interval];
            var output = await ProbeTextAsync([.. args, input], ct);
            TimeSpan? last = null;
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = line.Split(',');
                if (parts.Length >= 2 && parts[1].Contains('K')
                    && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    && (last is null || seconds > last.Value.TotalSeconds))
                    last = TimeSpan.FromSeconds(Math.Max(0, seconds));
            }
            if (last is { } found) return found;
        }
        return TimeSpan.Zero;
    }

    /// <summary>ffprobe's stdout for these arguments, under the probe timeout.</summary>
    private async Task<string> ProbeTextAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var path = string.IsNullOrEmpty(Video.FfmpegFolder) ? "ffprobe" : Path.Combine(Video.FfmpegFolder, "ffprobe");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Video.ProbeTimeout);
        Process? process = null;
        try
        {
            process = Process.Start(start) ?? throw new FfmpegFailedException("ffprobe did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.WaitForExitAsync(cts.Token);
            var text = await stdout;
            if (process.ExitCode != 0)
            {
                logger.LogWarning("ffprobe keyframes failed: {Stderr}", await stderr);
                throw new FfmpegFailedException("ffprobe keyframes failed");
            }
            return text;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("ffprobe keyframes timed out after {Timeout} and was stopped", Video.ProbeTimeout);
            throw new FfmpegFailedException("ffprobe keyframes timed out", timedOut: true);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FfmpegFailedException("ffprobe did not start: " + ex.Message);
        }
        finally
        {
            if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
            process?.Dispose();
        }
    }

    /// <summary>
    /// A decoder complaint ("[h264 @ …] Invalid NAL unit size", "partial file"), not the version
    /// banner that ffmpeg prints first (FFMpegCore has no switch for -hide_banner), and not what a
    /// decoder says when it starts on a keyframe whose neighbours refer to frames before it (an open
    /// GOP: "mmco: unref short failure", "Could not find ref with POC", "reference picture missing").
    /// </summary>
    internal static bool IsDecodeError(string line) =>
        (line.StartsWith('[') || line.Contains("Error", StringComparison.Ordinal) || line.Contains("Invalid", StringComparison.Ordinal))
        && !SeekArtifacts.Any(a => line.Contains(a, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] SeekArtifacts =
    [
        "mmco: unref short failure", "reference picture missing", "Missing reference picture", "Could not find ref with POC",
        "co located POCs unavailable", "Frame num gap", "number of reference frames", "illegal short term buffer state",
    ];

    /// <summary>H.264 (High profile, 8-bit 4:2:0 whatever the source's chroma and depth)/AAC MP4 with faststart, the size kept (at most 1920 px on the long side), rotation applied.</summary>
    public Task TranscodeAsync(string input, string outputMp4, TimeSpan duration, Action<double> percent, CancellationToken ct)
    {
        var timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(2).Ticks, Video.TranscodeTimeoutPerSecond.Ticks * Math.Max(1, (long)Math.Ceiling(duration.TotalSeconds))));
        return RunAsync("transcode", FFMpegArguments
            .FromFileInput(input)
            .OutputToFile(outputMp4, true, o => o
                .WithCustomArgument("-map 0:v:0 -map 0:a:0? -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p " +
                    // H.264 4:2:0 needs even sides: the long side is capped at 1920 and both are rounded down to even.
                    "-vf scale='trunc(if(gt(iw,ih),min(1920,iw),min(1920,ih)*iw/ih)/2)*2':'trunc(if(gt(iw,ih),min(1920,iw)*ih/iw,min(1920,ih))/2)*2' " +
                    "-profile:v high -c:a aac -b:a 128k -ac 2 -movflags +faststart -f mp4"))
            .NotifyOnPercentageProgress(percent, duration),
            timeout, ct);
    }

    private async Task RunAsync(string what, FFMpegArgumentProcessor processor, TimeSpan timeout, CancellationToken ct, Action<string>? onError = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var stderr = new List<string>();
        try
        {
            var result = await processor
                .WithLogLevel(FFMpegLogLevel.Error)
                .NotifyOnStandardError(line => { if (stderr.Count < 50) stderr.Add(line); onError?.Invoke(line); })
                .CancellableThrough(cts.Token)
                .ProcessAsynchronously(throwOnError: false, FfOptions);
            if (cts.IsCancellationRequested && !ct.IsCancellationRequested)
                throw new FfmpegFailedException($"ffmpeg {what} timed out after {timeout}", timedOut: true);
            ct.ThrowIfCancellationRequested();
            if (!result.Success)
            {
                logger.LogWarning("ffmpeg {What} failed: {Stderr}", what, string.Join(" | ", stderr));
                throw new FfmpegFailedException($"ffmpeg {what} failed");
            }
            if (stderr.Count > 0)
                logger.LogDebug("ffmpeg {What}: {Stderr}", what, string.Join(" | ", stderr));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("ffmpeg {What} timed out after {Timeout} and was stopped", what, timeout);
            throw new FfmpegFailedException($"ffmpeg {what} timed out after {timeout}", timedOut: true);
        }
    }
}
