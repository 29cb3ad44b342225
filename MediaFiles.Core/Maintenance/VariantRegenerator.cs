using MediaFiles.Core.Data;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MediaFiles.Core.Maintenance;

/// <summary>
/// Writes every blob's derived pictures again at the sizes configured now (after
/// <c>MediaFiles:Images:{Large,Medium,Thumbnail}</c> changed): a photo's large, medium and thumbnail
/// from its original, a clip's poster (large) and thumbnail from a new frame of its original, as
/// ingest makes them (<see cref="DerivedFiles"/>, the one maker of both). Originals are only read,
/// never written. Each new file is written to the store's temp folder and put over the old one with
/// <see cref="IMediaStore.Replace"/> (an atomic rename), so a reader gets the old file or the new
/// one, never half of one. A clip's playable copy is not touched.
/// </summary>
public sealed class VariantRegenerator(
    MediaFilesDbContext db,
    IMediaStore store,
    DerivedFiles derived,
    Ffmpeg ffmpeg,
    ILogger<VariantRegenerator> logger)
{
    private static readonly DetectedType[] ImageTypes = [FileTypeSniffer.Jpeg, FileTypeSniffer.Png, FileTypeSniffer.WebP];

    public async Task<RegenerateResult> RegenerateAsync(IProgress<int>? progress, CancellationToken ct)
    {
        var rows = await db.MediaFiles.AsNoTracking()
            .OrderBy(m => m.CreatedAt)
            .Select(m => new { m.Id, m.FilePath, m.MimeType, m.DurationSeconds })
            .ToListAsync(ct);
        var hasVideos = rows.Any(r => IsVideo(r.MimeType));
        var canDoVideos = hasVideos && await ffmpeg.IsAvailableAsync();
        if (hasVideos && !canDoVideos)
            logger.LogWarning("ffmpeg is not installed: the posters of video clips are left as they are");

        int images = 0, videos = 0, written = 0, skipped = 0, done = 0;
        var failed = new List<Guid>();
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                if (IsVideo(row.MimeType))
                {
                    if (canDoVideos)
                    {
                        written += await RegenerateVideoAsync(row.Id, row.FilePath, row.DurationSeconds, ct);
                        videos++;
                    }
                    else
                    {
                        skipped++;
                    }
                }
                else if (ImageTypes.FirstOrDefault(t => t.MimeType == row.MimeType) is { } type)
                {
                    written += await RegenerateImageAsync(row.Id, row.FilePath, type, ct);
                    images++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One damaged or missing original does not stop the rest; the integrity scan tells which.
                logger.LogWarning(ex, "The variants of media {MediaFileId} could not be written again", row.Id);
                failed.Add(row.Id);
            }
            progress?.Report(++done * 100 / rows.Count);
        }
        return new RegenerateResult(images, videos, written, skipped, failed.Count, failed.Take(IntegrityScanResult.MaxListed).ToList());
    }

    private static bool IsVideo(string mimeType) => mimeType.StartsWith("video/", StringComparison.Ordinal);

    private async Task<int> RegenerateImageAsync(Guid id, string originalPath, DetectedType type, CancellationToken ct)
    {
        var source = RequireOriginal(originalPath);
        var facts = ImageInspector.Inspect(source, type, DerivedFiles.NoLimits);
        using var variants = await derived.WriteImageVariantsAsync(source, type, facts, ct);
        return await ReplaceAsync(id, originalPath, variants, ct);
    }

    /// <summary>As <see cref="VideoIngestPipeline"/> makes the poster (the same <see cref="DerivedFiles.WritePosterAsync"/>).</summary>
    private async Task<int> RegenerateVideoAsync(Guid id, string originalPath, double? durationSeconds, CancellationToken ct)
    {
        var source = RequireOriginal(originalPath);
        using var poster = await derived.WritePosterAsync(source, TimeSpan.FromSeconds(durationSeconds ?? 0), DerivedFiles.NoLimits, ct);
        return await ReplaceAsync(id, originalPath, poster, ct);
    }

    private string RequireOriginal(string originalPath) =>
        store.Exists(originalPath) ? store.FullPath(originalPath) : throw new FileNotFoundException("The original is missing.");

    /// <summary>
    /// Puts each finished temp file over its variant (<see cref="IMediaStore.Replace"/>). Skipped when the
    /// blob was purged meanwhile, so no file without a row is left behind; the temp files then go on dispose.
    /// </summary>
    private async Task<int> ReplaceAsync(Guid id, string originalPath, DerivedFileSet files, CancellationToken ct)
    {
        if (!await db.MediaFiles.AnyAsync(m => m.Id == id, ct)) return 0;
        foreach (var file in files.Files)
            store.Replace(file.Temp, StoragePaths.Variant(originalPath, file.Variant));
        return files.Files.Count;
    }
}
