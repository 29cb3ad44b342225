using MediaFiles.Core.Data;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// Releases staged uploads nobody attached within the staging lifetime, and removes temp files
/// left behind by a crash mid-upload.
/// </summary>
public sealed class StagedUploadSweeper(
    MediaFilesDbContext db,
    MediaReferences references,
    IMediaStore store,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock,
    ILogger<StagedUploadSweeper> logger)
{
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - options.Value.StagedUploadLifetime;
        var expired = await db.StagedUploads.AsNoTracking().Where(s => s.UploadedAt < cutoff).Select(s => new { s.Id, s.MediaFileId }).ToListAsync(ct);
        foreach (var upload in expired)
        {
            IReadOnlyList<string> toDelete;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var removed = await db.StagedUploads.Where(s => s.Id == upload.Id).ExecuteDeleteAsync(ct);
                toDelete = removed == 1 ? await references.ReleaseAsync(upload.MediaFileId, ct) : [];
                await tx.CommitAsync(ct);
            }
            references.DeleteFiles(toDelete);
        }

        SweepTempFolder(now);
        if (expired.Count > 0) logger.LogInformation("Swept {Count} expired staged uploads", expired.Count);
        return expired.Count;
    }

    private void SweepTempFolder(DateTime now)
    {
        var folder = store.FullPath(LocalMediaStore.TempFolder + "/x");
        var dir = new DirectoryInfo(Path.GetDirectoryName(folder)!);
        if (!dir.Exists) return;
        foreach (var file in dir.EnumerateFiles("*.part"))
        {
            // Older than any upload could take: its request is long gone.
            if (now - file.LastWriteTimeUtc > TimeSpan.FromHours(1))
            {
                try { file.Delete(); } catch (IOException) { }
            }
        }
    }
}
