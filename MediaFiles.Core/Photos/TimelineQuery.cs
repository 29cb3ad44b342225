using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Photos;

public sealed record TimelineItem(
    Guid EventId, EventType Type, DateTime EventDateTime, string Description,
    Guid CreatedById, string CreatedByName, DateTime CreatedAt,
    Guid MediaFileId, int? Width, int? Height, long Size, string OriginalFilename)
{
    /// <summary>Photos in the entry: 1 for a photo; a series' count (its card shows the first).</summary>
    public int PhotoCount { get; init; } = 1;

    /// <summary>A video's length, and how far its browser-playable copy is.</summary>
    public double? DurationSeconds { get; init; }
    public PlayableState PlayableState { get; init; }
    public int PlayableProgress { get; init; }
    public string? PlayableError { get; init; }
}

public sealed record PhotoDetail(
    Guid EventId, Guid PatientId, string PatientName, DateTime EventDateTime, string Description,
    Guid CreatedById, string CreatedByName, DateTime CreatedAt, string UpdatedByName, DateTime UpdatedAt,
    Guid MediaFileId, string MimeType, int? Width, int? Height, long Size, string OriginalFilename, string Sha256,
    bool CanEdit, DateTime EditableUntil);

/// <summary>Reads of the timeline and of one photo, for users allowed to see the patient.</summary>
public sealed class TimelineQuery(MediaFilesDbContext db, PatientDirectory patients, AccessPolicy access)
{
    public async Task<IReadOnlyList<TimelineItem>> GetAsync(CurrentUser user, Guid patientId, CancellationToken ct = default)
    {
        await patients.FindVisibleAsync(user, patientId, ct);
        var photos = await db.Photos.AsNoTracking()
            .Where(p => p.PatientId == patientId)
            .Select(p => new TimelineItem(p.Id, p.EventType, p.EventDateTime, p.Description,
                p.CreatedById, p.CreatedBy!.DisplayName, p.CreatedAt,
                p.MediaFileId, p.MediaFile!.Width, p.MediaFile.Height, p.MediaFile.Size, p.MediaFile.OriginalFilename))
            .ToListAsync(ct);
        var series = await db.PhotoSeries.AsNoTracking()
            .Where(s => s.PatientId == patientId)
            .Select(s => new
            {
                s.Id, s.EventType, s.EventDateTime, s.Caption, s.CreatedById, CreatedBy = s.CreatedBy!.DisplayName, s.CreatedAt,
                Count = s.Files.Count,
                First = s.Files.OrderBy(f => f.OrderIndex).Select(f => new { f.MediaFileId, f.MediaFile!.Width, f.MediaFile.Height, f.MediaFile.Size, f.MediaFile.OriginalFilename }).First(),
            })
            .ToListAsync(ct);
        var clips = await db.VideoClips.AsNoTracking()
            .Where(v => v.PatientId == patientId)
            .Select(v => new TimelineItem(v.Id, v.EventType, v.EventDateTime, v.Caption,
                v.CreatedById, v.CreatedBy!.DisplayName, v.CreatedAt,
                v.MediaFileId, v.MediaFile!.Width, v.MediaFile.Height, v.MediaFile.Size, v.MediaFile.OriginalFilename)
            {
                DurationSeconds = v.MediaFile.DurationSeconds,
                PlayableState = v.MediaFile.PlayableState,
                PlayableProgress = v.MediaFile.PlayableProgress,
                PlayableError = v.MediaFile.PlayableError,
            })
            .ToListAsync(ct);
        return photos
            .Concat(clips)
            .Concat(series.Select(s => new TimelineItem(s.Id, s.EventType, s.EventDateTime, s.Caption, s.CreatedById, s.CreatedBy, s.CreatedAt,
                s.First.MediaFileId, s.First.Width, s.First.Height, s.First.Size, s.First.OriginalFilename) { PhotoCount = s.Count }))
            .OrderByDescending(i => i.EventDateTime).ThenByDescending(i => i.CreatedAt)
            .ToList();
    }

    public async Task<PhotoDetail> GetPhotoAsync(CurrentUser user, Guid photoId, CancellationToken ct = default)
    {
        var photo = await db.Photos.AsNoTracking()
            .Include(p => p.MediaFile).Include(p => p.CreatedBy).Include(p => p.UpdatedBy).Include(p => p.Patient).ThenInclude(p => p!.Ward)
            .FirstOrDefaultAsync(p => p.Id == photoId, ct);
        if (photo is null || !access.CanView(user, photo.Patient!))
            throw new NotFoundException("No such photo.");
        var m = photo.MediaFile!;
        return new PhotoDetail(photo.Id, photo.PatientId, photo.Patient!.Name, photo.EventDateTime, photo.Description,
            photo.CreatedById, photo.CreatedBy!.DisplayName, photo.CreatedAt, photo.UpdatedBy!.DisplayName, photo.UpdatedAt,
            m.Id, m.MimeType, m.Width, m.Height, m.Size, m.OriginalFilename, m.Sha256,
            access.CanEdit(user, photo), access.EditableUntil(photo));
    }
}
