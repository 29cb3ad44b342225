using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Series;

public sealed record SeriesItem(Guid Id, int OrderIndex, Guid MediaFileId, string Caption, int? Width, int? Height, long Size, string OriginalFilename, string MimeType);

public sealed record SeriesDetail(
    Guid Id, Guid PatientId, string PatientName, string Caption, DateTime EventDateTime,
    Guid CreatedById, string CreatedByName, DateTime CreatedAt, string UpdatedByName, DateTime UpdatedAt,
    int Version, IReadOnlyList<SeriesItem> Items, bool CanEdit, bool CanReorder, DateTime EditableUntil);

/// <summary>Reads one series, in order, for a user allowed to see its patient.</summary>
public sealed class SeriesQuery(MediaFilesDbContext db, AccessPolicy access)
{
    public async Task<SeriesDetail> GetAsync(CurrentUser user, Guid seriesId, CancellationToken ct = default)
    {
        var series = await db.PhotoSeries.AsNoTracking()
            .Include(s => s.Patient).ThenInclude(p => p!.Ward).Include(s => s.CreatedBy).Include(s => s.UpdatedBy)
            .FirstOrDefaultAsync(s => s.Id == seriesId, ct);
        if (series is null || !access.CanView(user, series.Patient!))
            throw new NotFoundException("No such series.");
        var items = await db.PhotoSeriesFiles.AsNoTracking()
            .Where(f => f.SeriesId == seriesId)
            .OrderBy(f => f.OrderIndex)
            .Select(f => new SeriesItem(f.Id, f.OrderIndex, f.MediaFileId, f.Caption, f.MediaFile!.Width, f.MediaFile.Height,
                f.MediaFile.Size, f.MediaFile.OriginalFilename, f.MediaFile.MimeType))
            .ToListAsync(ct);
        return new SeriesDetail(series.Id, series.PatientId, series.Patient!.Name, series.Caption, series.EventDateTime,
            series.CreatedById, series.CreatedBy!.DisplayName, series.CreatedAt, series.UpdatedBy!.DisplayName, series.UpdatedAt,
            series.Version, items, access.CanEdit(user, series), access.CanAddMedia(user, series.Patient!), access.EditableUntil(series));
    }

    /// <summary>Where each original of the series is stored, by media file id (for the ZIP).</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> OriginalPathsAsync(Guid seriesId, CancellationToken ct = default) =>
        await db.PhotoSeriesFiles.AsNoTracking().Where(f => f.SeriesId == seriesId)
            .Select(f => new { f.MediaFileId, f.MediaFile!.FilePath })
            .ToDictionaryAsync(f => f.MediaFileId, f => f.FilePath, ct);
}
