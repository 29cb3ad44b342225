namespace MediaFiles.Core.Admin;

/// <summary>
/// Every reason an upload is refused, by the code the audit trail keeps in <c>Details</c>
/// (<see cref="Ingest.IngestRefusedException.Code"/>, plus the endpoint's own "role" and "patient",
/// and the rate limiter's "rate_limited"), with the words an admin reads on the dashboard. One table, so a new
/// code is named here once.
/// </summary>
public static class RefusalReasons
{
    public const string TooLarge = "too_large";
    public const string Empty = "empty";
    public const string TypeNotAccepted = "type_not_accepted";
    public const string TypeMismatch = "type_mismatch";
    public const string Unreadable = "unreadable";
    public const string TooManyPixels = "too_many_pixels";
    public const string FfmpegMissing = "ffmpeg_missing";
    public const string NoVideo = "no_video";
    public const string TooLong = "too_long";
    public const string CodecNotAccepted = "codec_not_accepted";
    public const string FrameRate = "frame_rate";
    public const string Bitrate = "bitrate";
    /// <summary>The user's role may not upload (the endpoint refuses before reading the body).</summary>
    public const string Role = "role";
    /// <summary>The patient named with the upload is not one the user may add to (the endpoint refuses before reading the body).</summary>
    public const string Patient = "patient";
    /// <summary>Over the per-user upload rate limit (audited as action "rate_limited", not "media.upload").</summary>
    public const string RateLimited = "rate_limited";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [TooLarge] = "File too large",
        [Empty] = "Empty file",
        [TypeNotAccepted] = "File type not accepted",
        [TypeMismatch] = "Contents do not match the file name or type",
        [Unreadable] = "Damaged or unreadable file",
        [TooManyPixels] = "Picture too large (pixels)",
        [FfmpegMissing] = "Video tools (ffmpeg) not installed",
        [NoVideo] = "No picture in the video (sound only)",
        [TooLong] = "Clip too long",
        [CodecNotAccepted] = "Video codec not accepted",
        [FrameRate] = "Frame rate out of range",
        [Bitrate] = "Bitrate too high",
        [Role] = "Role may not upload",
        [Patient] = "Patient not found or not on the uploader's ward",
        [RateLimited] = "Too many uploads in an hour (rate limit)",
    };

    /// <summary>The label of a code; a code this table does not know yet is shown as itself.</summary>
    public static string LabelOf(string? code) =>
        code is null ? "Unknown reason" : Labels.TryGetValue(code, out var label) ? label : $"Other ({code})";

    public static IReadOnlyCollection<string> KnownCodes => Labels.Keys;
}
