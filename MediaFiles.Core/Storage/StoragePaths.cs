namespace MediaFiles.Core.Storage;

/// <summary>
/// Where each file of a blob lives under the storage root:
/// <c>{photos|photo_series|videos}/YYYY/MM/{originals|large|medium|thumbnails|playable}/{uuid}.{ext}</c>.
/// The original keeps its own extension; the pictures derived from it are JPEG, a video's playable
/// copy is MP4. Which of these files a blob has is <see cref="BlobFiles"/>' answer.
/// </summary>
public static class StoragePaths
{
    public static string CategoryFolder(MediaCategory category) => category switch
    {
        MediaCategory.Photos => "photos",
        MediaCategory.PhotoSeries => "photo_series",
        MediaCategory.Videos => "videos",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    public static string VariantFolder(MediaVariant variant) => variant switch
    {
        MediaVariant.Original => "originals",
        MediaVariant.Large => "large",
        MediaVariant.Medium => "medium",
        MediaVariant.Thumbnail => "thumbnails",
        MediaVariant.Playable => "playable",
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    public static string Original(MediaCategory category, DateTime utc, Guid id, string extension) =>
        $"{CategoryFolder(category)}/{utc:yyyy}/{utc:MM}/originals/{id:D}.{extension}";

    /// <summary>The path of a variant, derived from the original's path (same category, month and id).</summary>
    public static string Variant(string originalPath, MediaVariant variant)
    {
        if (variant == MediaVariant.Original) return originalPath;
        var marker = "/originals/";
        var at = originalPath.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0) throw new ArgumentException("Not an original's path.", nameof(originalPath));
        var name = Path.GetFileNameWithoutExtension(originalPath);
        return $"{originalPath[..at]}/{VariantFolder(variant)}/{name}.{(variant == MediaVariant.Playable ? "mp4" : "jpg")}";
    }
}
