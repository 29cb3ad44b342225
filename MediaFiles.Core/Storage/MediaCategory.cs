namespace MediaFiles.Core.Storage;

/// <summary>
/// The top folder a new blob is placed under: <c>photos</c>, <c>photo_series</c> or <c>videos</c>
/// (see <see cref="StoragePaths"/>). Chosen by what the upload is for; a blob never moves.
/// </summary>
public enum MediaCategory
{
    Photos,
    PhotoSeries,
    Videos,
}
