using MediaFiles.Core.Domain;

namespace MediaFiles.Core.Storage;

/// <summary>
/// The one answer to "which files does this blob have": from a MediaFile's original path, MIME type
/// and playable state, the files it owns (what a purge deletes, what is not an orphan), the files
/// that must exist now (what the integrity scan checks), and the stored file that serves each
/// variant (what <c>/media/{id}/{variant}</c> sends). A photo has large, medium and thumbnail; a
/// video has a poster (large), a thumbnail and, when the original does not play in browsers, a
/// playable copy once the transcode is done.
/// </summary>
public readonly record struct BlobFiles(string OriginalPath, string MimeType, PlayableState PlayableState = PlayableState.None)
{
    /// <summary>The pictures derived from a photo: large, medium and thumbnail (JPEG).</summary>
    public static readonly IReadOnlyList<MediaVariant> ImagePictures = [MediaVariant.Large, MediaVariant.Medium, MediaVariant.Thumbnail];

    /// <summary>The pictures derived from a video: its poster (large) and thumbnail (JPEG), from one frame.</summary>
    public static readonly IReadOnlyList<MediaVariant> VideoPictures = [MediaVariant.Large, MediaVariant.Thumbnail];

    public static BlobFiles Of(MediaFile media) => new(media.FilePath, media.MimeType, media.PlayableState);

    public bool IsImage => MimeType.StartsWith("image/", StringComparison.Ordinal);
    public bool IsVideo => MimeType.StartsWith("video/", StringComparison.Ordinal);

    /// <summary>
    /// Every file the blob may have: the original and everything derived from it, the playable copy
    /// included whether or not it was made yet. What goes when the blob goes; no other file is its.
    /// </summary>
    public IReadOnlyList<string> Owned => Files(withPlayable: IsVideo);

    /// <summary>The files that must be in the store now: the owned ones, the playable copy only once it is Ready.</summary>
    public IReadOnlyList<string> Required => Files(withPlayable: IsVideo && PlayableState == PlayableState.Ready);

    /// <summary>
    /// The stored file that serves <paramref name="variant"/>, or null when the blob has none: images
    /// have large, medium and thumbnail; videos a poster (large), a thumbnail and "playable" — the
    /// original when browsers play it as it is, else the transcoded copy once it is ready.
    /// </summary>
    public string? Serving(MediaVariant variant) => variant switch
    {
        MediaVariant.Original => OriginalPath,
        MediaVariant.Playable when IsVideo => PlayableState switch
        {
            PlayableState.Original => OriginalPath,
            PlayableState.Ready => PlayablePath,
            _ => null,
        },
        MediaVariant.Playable => null,
        _ when DerivedVariants.Contains(variant) => StoragePaths.Variant(OriginalPath, variant),
        _ => null,
    };

    private List<string> Files(bool withPlayable)
    {
        var files = new List<string> { OriginalPath };
        foreach (var variant in DerivedVariants) files.Add(StoragePaths.Variant(OriginalPath, variant));
        if (withPlayable) files.Add(PlayablePath);
        return files;
    }

    /// <summary>Where the transcoded playable copy of a video goes.</summary>
    public string PlayablePath => StoragePaths.Variant(OriginalPath, MediaVariant.Playable);

    /// <summary>The pictures derived from the original (not the playable copy): what ingest writes and a regenerate rewrites.</summary>
    public IReadOnlyList<MediaVariant> DerivedVariants => IsImage ? ImagePictures : IsVideo ? VideoPictures : [];
}
