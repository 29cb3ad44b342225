using System.Globalization;
using FFMpegCore;
using MediaFiles.Core.Ingest;

namespace MediaFiles.Core.Video;

/// <summary>What ffprobe says of a clip, with its width and height as shown (rotation applied).</summary>
public sealed record VideoFacts(
    TimeSpan Duration, int Width, int Height, int Rotation, string VideoCodec, string? AudioCodec,
    double FrameRate, long? Bitrate, string? PixelFormat)
{
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
        var facts = new VideoFacts(duration, w, h, rotation, video.CodecName ?? "", analysis.PrimaryAudioStream?.CodecName, fps, bitrate, video.PixelFormat);

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

    /// <summary>M:SS, as the card's badge shows it.</summary>
    public static string Clock(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";
}
