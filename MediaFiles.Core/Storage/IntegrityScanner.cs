using System.Security.Cryptography;
using MediaFiles.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Storage;

/// <summary>What an integrity scan found: rows whose files are gone, originals that no longer hash to their row, files without a row.</summary>
public sealed record IntegrityReport(int Checked, IReadOnlyList<Guid> MissingFiles, IReadOnlyList<Guid> HashMismatches, IReadOnlyList<string> Orphans)
{
    public bool IsClean => MissingFiles.Count == 0 && HashMismatches.Count == 0 && Orphans.Count == 0;
}

/// <summary>
/// Re-hashes every original against its row (originals are byte-exact, so the stored SHA-256 must
/// match), checks every file a row must have exists (<see cref="BlobFiles.Required"/>), and lists
/// stored files no row owns (<see cref="BlobFiles.Owned"/>).
/// </summary>
public sealed class IntegrityScanner(MediaFilesDbContext db, IMediaStore store)
{
    public async Task<IntegrityReport> ScanAsync(IProgress<int>? progress, CancellationToken ct)
    {
        var rows = await db.MediaFiles.AsNoTracking()
            .Select(m => new { m.Id, m.FilePath, m.MimeType, m.Sha256, m.PlayableState })
            .ToListAsync(ct);
        var missing = new List<Guid>();
        var mismatched = new List<Guid>();
        var owned = new HashSet<string>(StringComparer.Ordinal);
        var done = 0;
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            var files = new BlobFiles(row.FilePath, row.MimeType, row.PlayableState);
            owned.UnionWith(files.Owned);
            if (files.Required.Any(p => !store.Exists(p)))
                missing.Add(row.Id);
            else if (!string.Equals(await HashAsync(row.FilePath, ct), row.Sha256, StringComparison.Ordinal))
                mismatched.Add(row.Id);
            progress?.Report(++done * 100 / Math.Max(1, rows.Count));
        }
        var orphans = store.EnumerateFiles().Select(f => f.RelativePath).Where(p => !owned.Contains(p)).ToList();
        return new IntegrityReport(rows.Count, missing, mismatched, orphans);
    }

    private async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = store.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
