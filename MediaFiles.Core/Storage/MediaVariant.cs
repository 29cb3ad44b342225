namespace MediaFiles.Core.Storage;

/// <summary>
/// One stored file of a blob: the original as uploaded, or a file derived from it (see
/// <see cref="StoragePaths"/> for where each lives and <see cref="BlobFiles"/> for which a blob has).
/// </summary>
public enum MediaVariant
{
    Original,
    Large,
    Medium,
    Thumbnail,
    /// <summary>A video's browser-playable H.264/AAC MP4 (when the original is not one).</summary>
    Playable,
}
