using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Admin;

/// <summary>
/// The admin dashboard's figures, system-wide (every ward). Counts and sums are aggregated by the
/// database (COUNT, SUM, GROUP BY); no query loads rows one by one. The only walk is one pass over
/// the store's files, to measure the variants, which the database does not size.
/// </summary>
/// <remarks>
/// Entries are counted through the entity sets, so a global query filter (soft delete) leaves deleted
/// ones out. Uploads, refusals and uploaders come from the audit trail ("media.upload" rows), which
/// keeps them after the staged upload or the entry is gone.
/// </remarks>
public sealed class DashboardQuery(MediaFilesDbContext db, IMediaStore store, TimeProvider clock, IOptions<MediaFilesOptions> options)
{
    /// <summary>Ward-local days in the uploads chart and in the refusal and uploader tables, today included.</summary>
    public const int WindowDays = 30;

    public const int TopUploaderCount = 5;

    /// <summary>The rate limiter's audit detail for the upload policy (MediaFiles.Web RateLimits.Uploads).</summary>
    internal const string RateLimitedUploadsDetail = "uploads";

    /// <summary>Longest the health card waits for <c>ffmpeg -version</c>.</summary>
    private static readonly TimeSpan FfmpegTimeout = TimeSpan.FromSeconds(10);

    private const string Duplicate = "duplicate";

    public async Task<DashboardFigures> GetAsync(CurrentUser user, CancellationToken ct = default)
    {
        if (!user.IsInRole(Roles.Admin))
            throw new ForbiddenException("Only admins may see the dashboard.");

        var nowUtc = clock.GetUtcNow().UtcDateTime;
        var zone = WardZone(options.Value);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone));
        var firstDay = today.AddDays(-(WindowDays - 1));
        var sinceUtc = StartOfDayUtc(firstDay, zone);

        // The file walk and ffmpeg run beside the queries: they use the disk and a process, not the DbContext.
        var variants = Task.Run(MeasureVariants, ct);
        var ffmpeg = SystemProbes.FfmpegVersionAsync(options.Value.Videos.FfmpegFolder, FfmpegTimeout, ct);

        var totals = new MediaTotals(
            await db.Photos.CountAsync(ct),
            await db.PhotoSeries.CountAsync(ct),
            await db.PhotoSeries.SelectMany(s => s.Files).CountAsync(ct),
            await db.VideoClips.CountAsync(ct));

        var blobs = await db.MediaFiles
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Bytes = g.Sum(m => m.Size),
                Saved = g.Sum(m => m.ReferenceCount > 1 ? m.Size * (m.ReferenceCount - 1) : 0L),
                Shared = g.Count(m => m.ReferenceCount > 1),
                Queued = g.Count(m => m.PlayableState == PlayableState.Queued),
                Running = g.Count(m => m.PlayableState == PlayableState.Running),
            })
            .FirstOrDefaultAsync(ct);

        var duplicateUploads = await db.AuditEntries
            .CountAsync(a => a.Action == AuditActions.MediaUpload && a.Success && a.Details == Duplicate, ct);

        var perDay = await UploadsPerDayAsync(zone, firstDay, today, sinceUtc, ct);
        var refusals = await RefusalsAsync(sinceUtc, ct);
        var uploaders = await TopUploadersAsync(sinceUtc, ct);

        var (variantBytes, variantFiles) = await variants;
        var (free, total) = SystemProbes.Disk((store as LocalMediaStore)?.Root);
        var health = new SystemHealth(
            SystemProbes.DatabaseBytes(db.Database.GetConnectionString()),
            free,
            total,
            await ffmpeg,
            blobs?.Queued ?? 0,
            blobs?.Running ?? 0);

        return new DashboardFigures(
            nowUtc,
            today,
            totals,
            new StorageFigures(blobs?.Count ?? 0, blobs?.Bytes ?? 0, variantBytes, variantFiles),
            new DedupFigures(duplicateUploads, blobs?.Saved ?? 0, blobs?.Shared ?? 0),
            perDay,
            refusals,
            uploaders,
            health);
    }

    /// <summary>
    /// Accepted uploads per ward-local day. SQLite knows no time zones, so the database counts per
    /// UTC quarter hour and each quarter is put on its ward-local day here: every time zone in use is
    /// a whole number of quarter hours off UTC (Nepal +5:45, Chatham +12:45), so no quarter straddles
    /// a local midnight. At most 96 rows a day come back, whatever the number of uploads.
    /// </summary>
    private async Task<IReadOnlyList<DailyUploads>> UploadsPerDayAsync(TimeZoneInfo zone, DateOnly firstDay, DateOnly today, DateTime sinceUtc, CancellationToken ct)
    {
        var quarters = await AcceptedUploads(sinceUtc)
            .GroupBy(a => new { a.At.Date, a.At.Hour, Quarter = a.At.Minute / 15 })
            .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Quarter, Count = g.Count() })
            .ToListAsync(ct);

        var counts = new int[today.DayNumber - firstDay.DayNumber + 1];
        foreach (var q in quarters)
        {
            var utc = DateTime.SpecifyKind(q.Date, DateTimeKind.Utc).AddHours(q.Hour).AddMinutes(q.Quarter * 15);
            var index = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone)).DayNumber - firstDay.DayNumber;
            // A row dated after now (a clock set back) falls outside and is left out.
            if (index >= 0 && index < counts.Length) counts[index] += q.Count;
        }
        return counts.Select((count, i) => new DailyUploads(firstDay.AddDays(i), count)).ToList();
    }

    private async Task<IReadOnlyList<RefusalCount>> RefusalsAsync(DateTime sinceUtc, CancellationToken ct)
    {
        var byCode = await db.AuditEntries
            .Where(a => a.Action == AuditActions.MediaUpload && !a.Success && a.At >= sinceUtc)
            .GroupBy(a => a.Details)
            .Select(g => new { Code = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var rateLimited = await db.AuditEntries
            .CountAsync(a => a.Action == AuditActions.RateLimited && a.Details == RateLimitedUploadsDetail && a.At >= sinceUtc, ct);

        var rows = byCode.Select(r => (Code: r.Code ?? "", r.Count)).ToList();
        if (rateLimited > 0) rows.Add((RefusalReasons.RateLimited, rateLimited));
        return rows
            .Select(r => new RefusalCount(r.Code, RefusalReasons.LabelOf(r.Code.Length == 0 ? null : r.Code), r.Count))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<IReadOnlyList<UploaderCount>> TopUploadersAsync(DateTime sinceUtc, CancellationToken ct)
    {
        var top = await AcceptedUploads(sinceUtc)
            .Where(a => a.UserId != null)
            .GroupBy(a => a.UserId!.Value)
            .Select(g => new { UserId = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.UserId)
            .Take(TopUploaderCount)
            .ToListAsync(ct);
        var ids = top.Select(t => t.UserId).ToList();
        var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return top
            .Select(t => new UploaderCount(t.UserId, names.GetValueOrDefault(t.UserId, "Unknown user"), t.Count))
            .OrderByDescending(t => t.Uploads).ThenBy(t => t.DisplayName, StringComparer.CurrentCulture)
            .ToList();
    }

    /// <summary>Uploads the server took (new or duplicate) since the given time.</summary>
    private IQueryable<AuditEntry> AcceptedUploads(DateTime sinceUtc) =>
        db.AuditEntries.Where(a => a.Action == AuditActions.MediaUpload && a.Success && a.At >= sinceUtc);

    /// <summary>
    /// Bytes and count of every stored file that is not an original, in one pass over the store.
    /// (The listing carries no size, so each variant is measured as it comes; originals are sized by the database.)
    /// </summary>
    private (long Bytes, int Files) MeasureVariants()
    {
        var originals = "/" + StoragePaths.VariantFolder(MediaVariant.Original) + "/";
        long bytes = 0;
        var files = 0;
        foreach (var file in store.EnumerateFiles())
        {
            if (file.RelativePath.Contains(originals, StringComparison.Ordinal)) continue;
            try
            {
                bytes += store.Length(file.RelativePath);
                files++;
            }
            catch (IOException)
            {
                // Removed between the listing and the measuring (a sweep, a delete): it is no longer stored.
            }
        }
        return (bytes, files);
    }

    internal static TimeZoneInfo WardZone(MediaFilesOptions options) => WardClock.ZoneOf(options);

    /// <summary>The UTC instant a ward-local day starts; where a DST change skips midnight, its first real quarter hour.</summary>
    internal static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
