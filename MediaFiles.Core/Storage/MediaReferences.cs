using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MediaFiles.Core.Storage;

/// <summary>
/// Gives back a holder's reference on a blob. The caller runs this inside its own transaction; the
/// files of a blob whose last reference went are deleted once that transaction has committed.
/// </summary>
public sealed class MediaReferences(MediaFilesDbContext db, IMediaStore store, ILogger<MediaReferences> logger)
{
    /// <summary>Decrements the count; returns the paths to delete after commit when it reached zero.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(Guid mediaFileId, CancellationToken ct)
    {
        await db.MediaFiles.Where(m => m.Id == mediaFileId && m.ReferenceCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReferenceCount, m => m.ReferenceCount - 1), ct);
        var orphan = await db.MediaFiles.AsNoTracking()
            .Where(m => m.Id == mediaFileId && m.ReferenceCount == 0)
            .Select(m => new { m.FilePath, m.MimeType, m.PlayableState })
            .FirstOrDefaultAsync(ct);
        if (orphan is null) return [];

        await db.MediaFiles.Where(m => m.Id == mediaFileId && m.ReferenceCount == 0).ExecuteDeleteAsync(ct);
        return new BlobFiles(orphan.FilePath, orphan.MimeType, orphan.PlayableState).Owned;
    }

    public void DeleteFiles(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            try { store.Delete(path); }
            catch (IOException ex) { logger.LogWarning(ex, "Could not delete a released blob file"); }
        }
    }
}
