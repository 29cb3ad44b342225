using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// The steps every ingest pipeline shares: dedup by hash
/// (a known blob gains a reference and a staged upload, no file is written), and commit a new blob
/// with its staged upload — where the unique SHA-256 index settles a race between identical uploads.
/// </summary>
public sealed class BlobRegistry(MediaFilesDbContext db, IMediaStore store, TimeProvider clock, ILogger<BlobRegistry> logger)
{
    /// <summary>Dedup: a known hash gains a reference and a staged upload; null when the hash is new.</summary>
    public async Task<IngestResult?> StageExistingAsync(string sha256, Guid userId, CancellationToken ct)
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
        return ResultOf(IngestOutcome.Duplicate, staged.Id, existing);
    }

    /// <summary>
    /// Inserts a new blob (its files already placed) and its staged upload. Losing a race with an
    /// identical upload deletes the placed files and stages the winner instead.
    /// </summary>
    public async Task<IngestResult> CommitNewAsync(MediaFile media, IReadOnlyList<string> placed, Guid userId, CancellationToken ct)
    {
        // A new blob starts with one reference, held by its staged upload, and is marked staged by its uploader.
        var now = clock.GetUtcNow().UtcDateTime;
        media.ReferenceCount = 1;
        media.StagedById = userId;
        media.StagedAt = now;
        media.CreatedAt = now;
        media.UpdatedAt = now;
        var staged = NewStagedUpload(media.Id, userId, wasDuplicate: false);
        db.MediaFiles.Add(media);
        db.StagedUploads.Add(staged);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (db.MediaFiles.AsNoTracking().Any(m => m.Sha256 == media.Sha256))
        {
            db.ChangeTracker.Clear();
            DeleteQuietly(placed);
            return await StageExistingAsync(media.Sha256, userId, ct)
                ?? throw new InvalidOperationException("The duplicate blob vanished while staging.");
        }
        db.ChangeTracker.Clear();
        return ResultOf(IngestOutcome.Saved, staged.Id, media);
    }

    private static IngestResult ResultOf(IngestOutcome outcome, Guid uploadId, MediaFile media) =>
        new(outcome, uploadId, media.Id, media.OriginalFilename, media.Size, media.Width, media.Height)
        {
            Kind = media.MimeType.StartsWith("video/", StringComparison.Ordinal) ? MediaKind.Video : MediaKind.Image,
            CapturedAt = media.CapturedAt,
            DurationSeconds = media.DurationSeconds,
        };

    public void DeleteQuietly(IEnumerable<string> relativePaths)
    {
        foreach (var path in relativePaths)
        {
            try { store.Delete(path); }
            catch (IOException ex) { logger.LogWarning(ex, "Could not remove a placed file after a failed ingest"); }
        }
    }

    private StagedUpload NewStagedUpload(Guid mediaFileId, Guid userId, bool wasDuplicate) => new()
    {
        MediaFileId = mediaFileId,
        UploadedById = userId,
        UploadedAt = clock.GetUtcNow().UtcDateTime,
        WasDuplicate = wasDuplicate,
    };
}
