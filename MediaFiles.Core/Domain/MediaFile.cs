namespace MediaFiles.Core.Domain;

/// <summary>
/// One stored blob, addressed by its SHA-256. Several events may share it; ReferenceCount says how
/// many holders (events and staged uploads) it has, and it is deleted when the last one goes.
/// </summary>
public sealed class MediaFile
{
    public Guid Id { get; set; } = Guid.NewGuid();
    /// <summary>Path of the original under the storage root, e.g. photos/2026/11/originals/{id}.jpg.</summary>
    public required string FilePath { get; set; }
    /// <summary>Sanitized name the file had on the uploader's device. Kept only here, never in a path.</summary>
    public required string OriginalFilename { get; set; }
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public required string MimeType { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public double? DurationSeconds { get; set; }
    public string? VideoCodec { get; set; }
    public string? AudioCodec { get; set; }
    public long? Bitrate { get; set; }
    public double? FrameRate { get; set; }
    public string MetadataJson { get; set; } = "{}";
    /// <summary>
    /// When the camera took it, in UTC: EXIF DateTimeOriginal (with its offset, else in the ward's
    /// zone) or a clip's creation time. A fact of the bytes, so every upload of them shares it.
    /// </summary>
    public DateTime? CapturedAt { get; set; }
    /// <summary>For a video: whether browsers get the original or a transcoded H.264/AAC MP4 (and how far that is).</summary>
    public PlayableState PlayableState { get; set; }
    /// <summary>Percent done while the transcode runs.</summary>
    public int PlayableProgress { get; set; }
    /// <summary>Why the transcode failed, for the user; never ffmpeg's own output.</summary>
    public string? PlayableError { get; set; }
    public int ReferenceCount { get; set; }
    /// <summary>Who uploaded the blob while it is on no event yet; cleared on first attach.</summary>
    public Guid? StagedById { get; set; }
    public DateTime? StagedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// An upload that has been ingested but not yet attached to an event. It holds one reference on its
/// blob; attaching hands that reference to the event, and the sweeper releases expired ones.
/// </summary>
public sealed class StagedUpload
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid MediaFileId { get; set; }
    public MediaFile? MediaFile { get; set; }
    public Guid UploadedById { get; set; }
    public DateTime UploadedAt { get; set; }
    /// <summary>Whether the bytes were already stored (dedup) when this upload arrived.</summary>
    public bool WasDuplicate { get; set; }
}
