using MediaFiles.Core.Data;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Maintenance;

/// <summary>
/// Writes every blob's derived pictures again at the sizes configured now (after
/// <c>MediaFiles:Images:{Large,Medium,Thumbnail}</c> changed): a photo's large, medium and thumbnail
/// from its original, a clip's poster (large) and thumbnail from a new frame of its original, as
/// ingest makes them. Originals are only read, never written. Each new file is written to the
/// store's temp folder and renamed over the old one (an atomic replace on one volume), so a reader
/// gets the old file or the new one, never half of one. A clip's playable copy is not touched.
/// </summary>
public sealed class VariantRegenerator(
    MediaFilesDbContext db,
    IMediaStore store,
    Ffmpeg ffmpeg,
    IOptions<MediaFilesOptions> options,
    ILogger<VariantRegenerator> logger)
{
    /// <summary>The size limits are for new uploads; a stored original accepted under older limits is still processed.</summary>
    private static readonly ImageOptions NoLimits = new() { MaxSide = int.MaxValue, MaxPixels = long.MaxValue };

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
        var facts = ImageInspector.Inspect(source, type, NoLimits);
        var sizes = options.Value.Images;
        using var large = store.CreateTempFile();
        using var medium = store.CreateTempFile();
        using var thumbnail = store.CreateTempFile();
        await ImageVariantWriter.WriteAsync(source, type, facts,
            [new VariantTarget(sizes.Large, large.Path), new VariantTarget(sizes.Medium, medium.Path), new VariantTarget(sizes.Thumbnail, thumbnail.Path)], ct);
        return await ReplaceAsync(id, originalPath, [(ImageVariant.Large, large), (ImageVariant.Medium, medium), (ImageVariant.Thumbnail, thumbnail)], ct);
    }

    /// <summary>As <see cref="VideoIngestPipeline"/> makes the poster: a frame from early in the clip (past a black first frame), in the poster sizes.</summary>
    private async Task<int> RegenerateVideoAsync(Guid id, string originalPath, double? durationSeconds, CancellationToken ct)
    {
        var source = RequireOriginal(originalPath);
        var sizes = options.Value.Images;
        using var frame = store.CreateTempFile();
        using var large = store.CreateTempFile();
        using var thumbnail = store.CreateTempFile();
        await ffmpeg.ExtractFrameAsync(source, frame.Path, TimeSpan.FromSeconds(Math.Min(1.0, (durationSeconds ?? 0) / 4)), ct);
        if (!File.Exists(frame.Path) || new FileInfo(frame.Path).Length == 0)
            await ffmpeg.ExtractFrameAsync(source, frame.Path, TimeSpan.Zero, ct);
        var facts = ImageInspector.Inspect(frame.Path, FileTypeSniffer.Png, NoLimits);
        await ImageVariantWriter.WriteAsync(frame.Path, FileTypeSniffer.Png, facts,
            [new VariantTarget(sizes.Large, large.Path), new VariantTarget(sizes.Thumbnail, thumbnail.Path)], ct);
        return await ReplaceAsync(id, originalPath, [(ImageVariant.Large, large), (ImageVariant.Thumbnail, thumbnail)], ct);
    }

    private string RequireOriginal(string originalPath) =>
        store.Exists(originalPath) ? store.FullPath(originalPath) : throw new FileNotFoundException("The original is missing.");

    /// <summary>
    /// Renames each finished temp file over its variant (rename(2) replaces atomically). Skipped when the
    /// blob was purged meanwhile, so no file without a row is left behind; the temp files then go on dispose.
    /// </summary>
    private async Task<int> ReplaceAsync(Guid id, string originalPath, IReadOnlyList<(ImageVariant Variant, TempFile Temp)> files, CancellationToken ct)
    {
        if (!await db.MediaFiles.AnyAsync(m => m.Id == id, ct)) return 0;
        foreach (var (variant, temp) in files)
        {
            var target = store.FullPath(StoragePaths.Variant(originalPath, variant));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temp.Path, target, overwrite: true);
        }
        return files.Count;
    }
}
