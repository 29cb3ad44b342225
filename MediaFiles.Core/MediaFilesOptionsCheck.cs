using Microsoft.Extensions.Options;

namespace MediaFiles.Core;

/// <summary>Refuses to start on settings that would break uploads later (docs/configuration.md).</summary>
public sealed class MediaFilesOptionsCheck : IValidateOptions<MediaFilesOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaFilesOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IReadOnlyList<string> Problems(MediaFilesOptions o)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(o.StorageRoot)) problems.Add("MediaFiles:StorageRoot is empty.");
        if (o.Images.MaxBytes <= 0) problems.Add("MediaFiles:Images:MaxBytes must be positive.");
        if (o.Images.MaxSide <= 0 || o.Images.MaxPixels <= 0) problems.Add("MediaFiles:Images:MaxSide and MaxPixels must be positive.");
        foreach (var (label, v) in new[] { ("Large", o.Images.Large), ("Medium", o.Images.Medium), ("Thumbnail", o.Images.Thumbnail) })
        {
            if (v.Size is < 16 or > 10_000) problems.Add($"MediaFiles:Images:{label}:Size must be 16–10000 px.");
            if (v.Quality is < 1 or > 100) problems.Add($"MediaFiles:Images:{label}:Quality must be 1–100.");
        }
        var video = o.Videos;
        if (video.MaxBytes <= 0 || video.MaxDurationSeconds <= 0 || video.MaxSide <= 0 || video.MaxBitrate <= 0)
            problems.Add("MediaFiles:Videos:MaxBytes, MaxDurationSeconds, MaxSide and MaxBitrate must be positive.");
        if (video.MinFps <= 0 || video.MinFps > video.MaxFps) problems.Add("MediaFiles:Videos:MinFps must be positive and at most MaxFps.");
        if (video.Codecs.Length == 0) problems.Add("MediaFiles:Videos:Codecs cannot be empty.");
        if (video.ProbeTimeout <= TimeSpan.Zero || video.TranscodeTimeoutPerSecond <= TimeSpan.Zero) problems.Add("MediaFiles:Videos timeouts must be positive.");
        if (video.TranscodeConcurrency is < 1 or > 8) problems.Add("MediaFiles:Videos:TranscodeConcurrency must be 1–8.");
        if (o.MaxSeriesPhotos is < 1 or > 999) problems.Add("MediaFiles:MaxSeriesPhotos must be 1–999.");
        if (o.RateLimits.UploadsPerHour < 1 || o.RateLimits.MediaReadsPer10Minutes < 1) problems.Add("MediaFiles:RateLimits values must be positive.");
        if (o.ParallelUploads is < 1 or > 16) problems.Add("MediaFiles:ParallelUploads must be 1–16.");
        if (o.EditWindow < TimeSpan.Zero) problems.Add("MediaFiles:EditWindow cannot be negative.");
        if (o.StagedUploadLifetime <= TimeSpan.Zero) problems.Add("MediaFiles:StagedUploadLifetime must be positive.");
        if (o.SweepInterval <= TimeSpan.Zero) problems.Add("MediaFiles:SweepInterval must be positive.");
        if (o.DeletedRetention < TimeSpan.Zero) problems.Add("MediaFiles:DeletedRetention cannot be negative.");
        if (o.UndoWindow < TimeSpan.Zero) problems.Add("MediaFiles:UndoWindow cannot be negative.");
        if (!string.IsNullOrWhiteSpace(o.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _))
            problems.Add($"MediaFiles:TimeZone '{o.TimeZone}' is not a known time zone (use an IANA id such as Europe/Berlin).");
        return problems;
    }
}
