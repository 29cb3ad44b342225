using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

using MediaFiles.Core.Photos;

namespace MediaFiles.Core.Timeline;

/// <summary>
/// Reads timeline cards from already-filtered queries of the three kinds of entry (the patient's
/// timeline, the review feed), with each entry's newest review mark.
/// </summary>
public static class TimelineItems
{
    public static async Task<List<TimelineItem>> ReadAsync(MediaFilesDbContext db,
        IQueryable<Photo>? photos, IQueryable<PhotoSeries>? series, IQueryable<VideoClip>? clips, CancellationToken ct)
    {
        var items = new List<TimelineItem>();
        if (photos is not null)
            items.AddRange(await photos.AsNoTracking()
                .Select(p => new TimelineItem(p.Id, p.EventType, p.EventDateTime, p.Description,
                    p.CreatedById, p.CreatedBy!.DisplayName, p.CreatedAt,
                    p.MediaFileId, p.MediaFile!.Width, p.MediaFile.Height, p.MediaFile.Size, p.MediaFile.OriginalFilename) { PatientId = p.PatientId })
                .ToListAsync(ct));
        if (clips is not null)
            items.AddRange(await clips.AsNoTracking()
                .Select(v => new TimelineItem(v.Id, v.EventType, v.EventDateTime, v.Caption,
                    v.CreatedById, v.CreatedBy!.DisplayName, v.CreatedAt,
                    v.MediaFileId, v.MediaFile!.Width, v.MediaFile.Height, v.MediaFile.Size, v.MediaFile.OriginalFilename)
                {
                    PatientId = v.PatientId,
                    DurationSeconds = v.MediaFile.DurationSeconds,
                    PlayableState = v.MediaFile.PlayableState,
                    PlayableProgress = v.MediaFile.PlayableProgress,
                    PlayableError = v.MediaFile.PlayableError,
                })
                .ToListAsync(ct));
        if (series is not null)
        {
            var rows = await series.AsNoTracking()
                .Where(s => s.Files.Any())
                .Select(s => new
                {
                    s.Id, s.EventType, s.EventDateTime, s.Caption, s.CreatedById, CreatedBy = s.CreatedBy!.DisplayName, s.CreatedAt, s.PatientId,
                    Count = s.Files.Count,
                    First = s.Files.OrderBy(f => f.OrderIndex).Select(f => new { f.MediaFileId, f.MediaFile!.Width, f.MediaFile.Height, f.MediaFile.Size, f.MediaFile.OriginalFilename }).First(),
                })
                .ToListAsync(ct);
            items.AddRange(rows.Select(s => new TimelineItem(s.Id, s.EventType, s.EventDateTime, s.Caption, s.CreatedById, s.CreatedBy, s.CreatedAt,
                s.First.MediaFileId, s.First.Width, s.First.Height, s.First.Size, s.First.OriginalFilename) { PhotoCount = s.Count, PatientId = s.PatientId }));
        }
        var reviews = await Review.ReviewService.LatestAsync(db, items.Select(i => i.EventId).ToList(), ct);
        return items.Select(i => reviews.TryGetValue(i.EventId, out var r) ? i with { Review = r } : i).ToList();
    }
}
