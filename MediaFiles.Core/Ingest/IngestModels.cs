using MediaFiles.Core.Storage;

namespace MediaFiles.Core.Ingest;

/// <param name="Category">
/// What the upload is for. <see cref="MediaCategory.PhotoSeries"/> takes photos only; otherwise the
/// bytes decide: a photo is stored under photos/, a clip under videos/ whatever was asked.
/// </param>
public sealed record IngestRequest(Guid UserId, string FileName, string? DeclaredMimeType, MediaCategory Category)
{
    public bool PhotosOnly => Category == MediaCategory.PhotoSeries;
}

public enum IngestOutcome
{
    Saved,
    Duplicate,
}

/// <summary>A staged upload ready to attach to an event.</summary>
public sealed record IngestResult(IngestOutcome Outcome, Guid UploadId, Guid MediaFileId, string FileName, long Size, int? Width, int? Height)
{
    /// <summary>What the bytes are (sniffed, never the browser's guess).</summary>
    public MediaKind Kind { get; init; }

    /// <summary>When the camera took it (UTC): EXIF DateTimeOriginal, or the clip's creation time.</summary>
    public DateTime? CapturedAt { get; init; }

    /// <summary>A video's length.</summary>
    public double? DurationSeconds { get; init; }
}
