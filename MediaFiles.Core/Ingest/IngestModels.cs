using MediaFiles.Core.Storage;

namespace MediaFiles.Core.Ingest;

public sealed record IngestRequest(Guid UserId, string FileName, string? DeclaredMimeType, MediaCategory Category);

public enum IngestOutcome
{
    Saved,
    Duplicate,
}

/// <summary>A staged upload ready to attach to an event.</summary>
public sealed record IngestResult(IngestOutcome Outcome, Guid UploadId, Guid MediaFileId, string FileName, long Size, int? Width, int? Height)
{
    /// <summary>The camera's capture time, when the image carries one.</summary>
    public Imaging.CameraTime? TakenAt { get; init; }

    /// <summary>A video's length.</summary>
    public double? DurationSeconds { get; init; }
}
