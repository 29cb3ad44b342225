using System.Text.Json;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// The path of one image from request body to a staged MediaFile (design.md, "The path of one file"):
/// receive → sniff → inspect → dedup → derive → place → commit. Any failure at any stage leaves no
/// temp file, no placed file and no row.
/// </summary>
public sealed class ImageIngestPipeline(
    MediaFilesDbContext db,
    IMediaStore store,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock,
    ILogger<ImageIngestPipeline> logger)
{
    public async Task<IngestResult> IngestAsync(Stream body, IngestRequest request, IProgress<IngestStageReport>? progress, CancellationToken ct)
    {
        var limits = options.Value.Images;
        using var temp = store.CreateTempFile();

        progress?.Report(IngestStageReport.Receiving);
        var received = await StreamReceiver.ReceiveAsync(body, temp, limits.MaxBytes, ct);

        progress?.Report(IngestStageReport.Checking);
        var type = await SniffAsync(temp.Path, ct);
        var fileName = FileNameSanitizer.Sanitize(request.FileName, type.Extension);
        TypeAgreement.Require(type, fileName, request.DeclaredMimeType);
        var facts = ImageInspector.Inspect(temp.Path, type, limits);

        var known = await StageExistingAsync(received.Sha256, request.UserId, ct);
        if (known is not null)
            return known with { FileName = fileName, TakenAt = facts.TakenAt };

        progress?.Report(IngestStageReport.Variants);
        return await StoreNewAsync(temp, received, type, facts, fileName, request, ct);
    }

    private static async Task<DetectedType> SniffAsync(string path, CancellationToken ct)
    {
        var header = new byte[FileTypeSniffer.HeaderLength];
        int read;
        await using (var fs = File.OpenRead(path))
            read = await fs.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
        var type = FileTypeSniffer.Sniff(header.AsSpan(0, read));
        if (type is null)
            throw new IngestRefusedException("type_not_accepted", $"This is not an image MediaFiles can read: {FileTypeSniffer.AcceptedImagesText} are accepted.");
        if (!type.IsAcceptedImage)
            throw new IngestRefusedException("type_not_accepted", $"{type.Name} is not accepted: {FileTypeSniffer.AcceptedImagesText}.");
        return type;
    }

    /// <summary>Dedup: a known hash gains a reference and a staged upload; no file is written.</summary>
    private async Task<IngestResult?> StageExistingAsync(string sha256, Guid userId, CancellationToken ct)
    {
        var existing = await db.MediaFiles.AsNoTracking().FirstOrDefaultAsync(m => m.Sha256 == sha256, ct);
        if (existing is null) return null;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Conditional on the row still being there: a concurrent release may just have removed it.
        var bumped = await db.MediaFiles.Where(m => m.Id == existing.Id && m.ReferenceCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReferenceCount, m => m.ReferenceCount + 1), ct);
        if (bumped == 0) return null;
        var staged = NewStagedUpload(existing.Id, userId, wasDuplicate: true);
        db.StagedUploads.Add(staged);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new IngestResult(IngestOutcome.Duplicate, staged.Id, existing.Id, existing.OriginalFilename, existing.Size, existing.Width, existing.Height);
    }

    private async Task<IngestResult> StoreNewAsync(TempFile original, ReceivedFile received, DetectedType type, ImageFacts facts,
        string fileName, IngestRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Guid.NewGuid();
        var originalPath = StoragePaths.Original(request.Category, now, id, type.Extension);
        var image = options.Value.Images;

        var variantTemps = new List<(ImageVariant Variant, TempFile Temp)>();
        var placed = new List<string>();
        try
        {
            var targets = new List<VariantTarget>();
            foreach (var (variant, spec) in new[] { (ImageVariant.Large, image.Large), (ImageVariant.Medium, image.Medium), (ImageVariant.Thumbnail, image.Thumbnail) })
            {
                var t = store.CreateTempFile();
                variantTemps.Add((variant, t));
                targets.Add(new VariantTarget(spec, t.Path));
            }
            try
            {
                await ImageVariantWriter.WriteAsync(original.Path, type, facts, targets, ct);
            }
            catch (ImageMagick.MagickException)
            {
                throw new IngestRefusedException("unreadable", $"The {type.Name} image could not be processed: it may be damaged.");
            }

            store.Place(original, originalPath);
            placed.Add(originalPath);
            foreach (var (variant, t) in variantTemps)
            {
                var path = StoragePaths.Variant(originalPath, variant);
                store.Place(t, path);
                placed.Add(path);
            }

            var media = new MediaFile
            {
                Id = id,
                FilePath = originalPath,
                OriginalFilename = fileName,
                Sha256 = received.Sha256,
                Size = received.Length,
                MimeType = type.MimeType,
                Width = facts.UprightWidth,
                Height = facts.UprightHeight,
                MetadataJson = JsonSerializer.Serialize(new
                {
                    format = type.Name,
                    orientation = facts.Orientation,
                    storedWidth = facts.StoredWidth,
                    storedHeight = facts.StoredHeight,
                    takenAt = facts.TakenAt?.Local.ToString("s"),
                    takenAtOffsetMinutes = facts.TakenAt?.Offset?.TotalMinutes,
                }),
                ReferenceCount = 1,
                StagedById = request.UserId,
                StagedAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var staged = NewStagedUpload(id, request.UserId, wasDuplicate: false);
            db.MediaFiles.Add(media);
            db.StagedUploads.Add(staged);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (db.MediaFiles.AsNoTracking().Any(m => m.Sha256 == received.Sha256))
            {
                // Lost a race with an identical upload: the unique index kept one blob. Use it.
                db.ChangeTracker.Clear();
                DeleteQuietly(placed);
                placed.Clear();
                var winner = await StageExistingAsync(received.Sha256, request.UserId, ct)
                    ?? throw new InvalidOperationException("The duplicate blob vanished while staging.");
                return winner with { FileName = fileName, TakenAt = facts.TakenAt };
            }
            db.ChangeTracker.Clear();
            placed.Clear();
            return new IngestResult(IngestOutcome.Saved, staged.Id, id, fileName, received.Length, media.Width, media.Height) { TakenAt = facts.TakenAt };
        }
        finally
        {
            foreach (var (_, t) in variantTemps) t.Dispose();
            DeleteQuietly(placed);
        }
    }

    private StagedUpload NewStagedUpload(Guid mediaFileId, Guid userId, bool wasDuplicate) => new()
    {
        MediaFileId = mediaFileId,
        UploadedById = userId,
        UploadedAt = clock.GetUtcNow().UtcDateTime,
        WasDuplicate = wasDuplicate,
    };

    private void DeleteQuietly(IEnumerable<string> relativePaths)
    {
        foreach (var path in relativePaths)
        {
            try { store.Delete(path); }
            catch (IOException ex) { logger.LogWarning(ex, "Could not remove a placed file after a failed ingest"); }
        }
    }
}

public enum IngestStageReport
{
    Receiving,
    Checking,
    Variants,
}

public static class SizeText
{
    public static string Of(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MB",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes} bytes",
    };
}
