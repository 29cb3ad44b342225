using System.Globalization;
using FFMpegCore;
using MediaFiles.Core.Ingest;

namespace MediaFiles.Core.Video;

/// <summary>What ffprobe says of a clip, with its width and height as shown (rotation applied).</summary>
public sealed record VideoFacts(
    TimeSpan Duration, int Width, int Height, int Rotation, string VideoCodec, string? AudioCodec,
    double FrameRate, long? Bitrate, string? PixelFormat)
{
    /// <summary>When the camera recorded it (UTC), from the container's tags; null when it does not say.</summary>
    public DateTime? CreatedAt { get; init; }

    /// <summary>Plays in every browser as it is: H.264 (4:2:0) with AAC or no audio, in MP4.</summary>
    public bool IsBrowserPlayable(DetectedType container) =>
        container.MimeType == "video/mp4" && VideoCodec == "h264"
        && PixelFormat is "yuv420p" or "yuvj420p"
        && AudioCodec is null or "aac";
}

/// <summary>Stage 3 for video: probe, then refuse what is over a limit, each with a message naming it.</summary>
public static class VideoInspector
{
    public static VideoFacts Inspect(IMediaAnalysis analysis, VideoOptions limits)
    {
        var video = analysis.PrimaryVideoStream
            ?? throw new IngestRefusedException("no_video", "The file has no video stream (sound only?): a video clip needs pictures.");
        var rotation = ((video.Rotation % 360) + 360) % 360;
        var (w, h) = (video.Width ?? 0, video.Height ?? 0);
        if (rotation is 90 or 270) (w, h) = (h, w);
        var duration = analysis.Duration > TimeSpan.Zero ? analysis.Duration : video.Duration;
        var fps = video.AverageFrameRate > 0 ? video.AverageFrameRate : video.RealFrameRate;
        var bitrate = analysis.Format.BitRate > 0 ? (long?)analysis.Format.BitRate : video.BitRate;
        var facts = new VideoFacts(duration, w, h, rotation, video.CodecName ?? "", analysis.PrimaryAudioStream?.CodecName, fps, bitrate, video.PixelFormat)
        {
            CreatedAt = CreationTime(analysis.Format.Tags) ?? CreationTime(video.Tags),
        };

        if (w <= 0 || h <= 0 || duration <= TimeSpan.Zero)
            throw new IngestRefusedException("unreadable", "The video has no size or no length: it may be damaged or incomplete.");
        if (duration.TotalSeconds > limits.MaxDurationSeconds)
            throw new IngestRefusedException("too_long", $"The clip is {Clock(duration)} long: at most {Clock(TimeSpan.FromSeconds(limits.MaxDurationSeconds))} is accepted.");
        if (w > limits.MaxSide || h > limits.MaxSide)
            throw new IngestRefusedException("too_many_pixels", $"The video is {w} × {h} px: at most {limits.MaxSide} px a side is accepted.");
        if (!limits.Codecs.Contains(facts.VideoCodec, StringComparer.OrdinalIgnoreCase))
            throw new IngestRefusedException("codec_not_accepted", $"The video codec is {(facts.VideoCodec.Length == 0 ? "unknown" : facts.VideoCodec)}: accepted are {string.Join(", ", limits.Codecs)}.");
        if (fps < limits.MinFps || fps > limits.MaxFps)
            throw new IngestRefusedException("frame_rate", $"The clip runs at {fps.ToString("0.#", CultureInfo.InvariantCulture)} fps: {limits.MinFps:0.#}–{limits.MaxFps:0.#} fps are accepted.");
        if (bitrate > limits.MaxBitrate)
            throw new IngestRefusedException("bitrate", $"The clip's bitrate is {bitrate / 1_000_000.0:0.#} Mbps: at most {limits.MaxBitrate / 1_000_000.0:0.#} Mbps is accepted.");
        return facts;
    }

    /// <summary>
    /// The recording time from QuickTime/MP4 tags: Apple's <c>com.apple.quicktime.creationdate</c>
    /// first (the phone's local time with its offset, kept as the camera wrote it even after an edit),
    /// else <c>creation_time</c> (UTC by the MP4 spec). Dates before 1990 are a clock that was
    /// never set (MP4's zero is 1904), not a recording time.
    /// </summary>
    internal static DateTime? CreationTime(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null) return null;
        foreach (var key in new[] { "com.apple.quicktime.creationdate", "creation_time" })
        {
            var value = tags.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
            if (string.IsNullOrWhiteSpace(value)) continue;
            // ISO 8601 with Z or an offset; Apple writes "+0200", which .NET wants as "+02:00". A bare time is UTC, as the MP4 spec says.
            var text = System.Text.RegularExpressions.Regex.Replace(value.Trim(), @"([+-]\d{2})(\d{2})$", "$1:$2");
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                if (at.Year >= 1990) return at.UtcDateTime;
            }
        }
        return null;
    }

    /// <summary>M:SS, as the card's badge shows it.</summary>
    public static string Clock(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";
}
