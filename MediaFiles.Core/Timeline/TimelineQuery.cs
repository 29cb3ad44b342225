using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

using MediaFiles.Core.Photos;

namespace MediaFiles.Core.Timeline;

public sealed record TimelineItem(
    Guid EventId, EventType Type, DateTime EventDateTime, string Description,
    Guid CreatedById, string CreatedByName, DateTime CreatedAt,
    Guid MediaFileId, int? Width, int? Height, long Size, string OriginalFilename)
{
    /// <summary>Photos in the entry: 1 for a photo; a series' count (its card shows the first).</summary>
    public int PhotoCount { get; init; } = 1;

    public Guid PatientId { get; init; }

    /// <summary>The newest reviewer's mark, if any.</summary>
    public Review.ReviewState? Review { get; init; }

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
        var items = await TimelineItems.ReadAsync(db,
            db.Photos.Where(p => p.PatientId == patientId),
            db.PhotoSeries.Where(s => s.PatientId == patientId),
            db.VideoClips.Where(v => v.PatientId == patientId), ct);
        return items.OrderByDescending(i => i.EventDateTime).ThenByDescending(i => i.CreatedAt).ToList();
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
