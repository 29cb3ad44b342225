using MediaFiles.Core.Data;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// Puts the store back in order after whatever a crash left: releases staged uploads nobody
/// attached within the staging lifetime, removes temp files, and removes placed files whose row
/// was never committed (every stored file is named by its MediaFile id). At start-up nothing is in
/// flight, so everything of that kind goes; while running, only what is older than any upload.
/// </summary>
public sealed class StagedUploadSweeper(
    MediaFilesDbContext db,
    MediaReferences references,
    IMediaStore store,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock,
    ILogger<StagedUploadSweeper> logger)
{
    /// <summary>Older than any upload or transcode could take: its request is long gone.</summary>
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromHours(1);

    /// <summary>More leftovers than a few crashed uploads could leave (each leaves at most 4 files).</summary>
    private const int MaxOrphansWithoutRows = 40;

    public async Task<int> SweepAsync(CancellationToken ct, bool atStartup = false)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var grace = atStartup ? TimeSpan.Zero : InFlightGrace;
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

        var temps = SweepTempFolder(now, grace);
        var orphans = await SweepOrphansAsync(now, grace, ct);
        if (expired.Count + temps + orphans > 0)
            logger.LogInformation("Swept {Staged} expired staged uploads, {Temps} temp files and {Orphans} files without a row", expired.Count, temps, orphans);
        return expired.Count;
    }

    /// <summary>Placed files whose MediaFile row does not exist (a crash between place and commit).</summary>
    private async Task<int> SweepOrphansAsync(DateTime now, TimeSpan grace, CancellationToken ct)
    {
        var known = (await db.MediaFiles.AsNoTracking().Select(m => m.Id).ToListAsync(ct)).ToHashSet();
        var orphans = store.EnumerateFiles()
            .Where(file => !(grace > TimeSpan.Zero && now - file.LastWriteUtc < grace))
            .Where(file => !(Guid.TryParse(Path.GetFileNameWithoutExtension(file.RelativePath), out var id) && known.Contains(id)))
            .ToList();
        // A database that knows no media at all beside a store full of files is far more likely the wrong
        // database (a mistyped connection string) than a crash: remove nothing, and say so loudly.
        var stored = store.EnumerateFiles().Count();
        if (known.Count == 0 && orphans.Count > 0 && orphans.Count == stored && stored > MaxOrphansWithoutRows)
        {
            logger.LogError("The database has no media rows but the media folder holds {Count} files: is the connection string right? Nothing was removed.", stored);
            return 0;
        }
        var removed = 0;
        foreach (var file in orphans)
        {
            try { store.Delete(file.RelativePath); removed++; }
            catch (IOException ex) { logger.LogWarning(ex, "Could not remove an orphaned stored file"); }
        }
        return removed;
    }

    private int SweepTempFolder(DateTime now, TimeSpan grace)
    {
        var removed = 0;
        foreach (var file in store.EnumerateTempFiles())
        {
            if (grace > TimeSpan.Zero && now - file.LastWriteUtc < grace) continue;
            try { store.Delete(file.RelativePath); removed++; } catch (IOException) { }
        }
        return removed;
    }
}
