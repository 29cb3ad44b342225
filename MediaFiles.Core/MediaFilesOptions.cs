namespace MediaFiles.Core;

/// <summary>
/// Every limit and size of MediaFiles in one place, bound to the "MediaFiles" configuration section.
/// The defaults are the numbers of docs/configuration.md.
/// </summary>
public sealed class MediaFilesOptions
{
    public const string SectionName = "MediaFiles";

    /// <summary>Root of the media store; relative paths resolve against the content root.</summary>
    public string StorageRoot { get; set; } = "data/media";

    public ImageOptions Images { get; set; } = new();

    public VideoOptions Videos { get; set; } = new();

    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Most photos in one series.</summary>
    public int MaxSeriesPhotos { get; set; } = 20;

    /// <summary>How long the creator may edit or delete an event.</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a deleted entry can be restored by an admin before the purge removes it for good.</summary>
    public TimeSpan DeletedRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the person who deleted an entry may undo that themselves ("Undo" in the snackbar); after it only an admin restores.</summary>
    public TimeSpan UndoWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an upload may stay staged (not attached to an event) before it is swept.</summary>
    public TimeSpan StagedUploadLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the sweeper looks for expired staged uploads and leftover temp files.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>IANA or Windows id of the ward's time zone, for showing and entering event times. Empty: the server's zone.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Most files the browser sends at once.</summary>
    public int ParallelUploads { get; set; } = 3;
}

public sealed class ImageOptions
{
    public long MaxBytes { get; set; } = 25 * 1024 * 1024;
    public int MaxSide { get; set; } = 10_000;
    /// <summary>Largest width × height accepted (default 100 MP: a 10000 × 10000 image).</summary>
    public long MaxPixels { get; set; } = 100_000_000;

    public VariantSpec Large { get; set; } = new(1200, 85);
    public VariantSpec Medium { get; set; } = new(800, 80);
    public VariantSpec Thumbnail { get; set; } = new(200, 75);
}

/// <summary>Per user. Far above a ward's real use (a 20-photo series is 20 uploads), low enough to stop a script.</summary>
public sealed class RateLimitOptions
{
    public int UploadsPerHour { get; set; } = 300;
    public int MediaReadsPer10Minutes { get; set; } = 3000;
}

public sealed class VideoOptions
{
    public long MaxBytes { get; set; } = 100 * 1024 * 1024;
    public int MaxDurationSeconds { get; set; } = 120;
    public int MaxSide { get; set; } = 4096;
    public double MinFps { get; set; } = 1;
    public double MaxFps { get; set; } = 120;
    public long MaxBitrate { get; set; } = 50_000_000;
    /// <summary>Video codecs accepted (ffprobe names).</summary>
    public string[] Codecs { get; set; } = ["h264", "hevc", "vp8", "vp9", "av1"];
    /// <summary>Folder holding ffmpeg and ffprobe; empty: found on PATH.</summary>
    public string FfmpegFolder { get; set; } = "";
    /// <summary>Longest an ffprobe or poster run may take before it is killed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Longest a transcode may take, per second of video (at least 2 minutes in all).</summary>
    public TimeSpan TranscodeTimeoutPerSecond { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Transcodes that run at once (each is one ffmpeg on every core).</summary>
    public int TranscodeConcurrency { get; set; } = 1;
}

/// <summary>A derived JPEG that fits in a Size × Size box at the given quality.</summary>
public sealed record VariantSpec(int Size, int Quality)
{
    public VariantSpec() : this(0, 0) { }
}
