using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Photos;

public sealed record TimelineItem(
    Guid EventId, EventType Type, DateTime EventDateTime, string Description,
    Guid CreatedById, string CreatedByName, DateTime CreatedAt,
    Guid MediaFileId, int? Width, int? Height, long Size, string OriginalFilename);

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
        return await db.Photos.AsNoTracking()
            .Where(p => p.PatientId == patientId)
            .OrderByDescending(p => p.EventDateTime).ThenByDescending(p => p.CreatedAt)
            .Select(p => new TimelineItem(p.Id, p.EventType, p.EventDateTime, p.Description,
                p.CreatedById, p.CreatedBy!.DisplayName, p.CreatedAt,
                p.MediaFileId, p.MediaFile!.Width, p.MediaFile.Height, p.MediaFile.Size, p.MediaFile.OriginalFilename))
            .ToListAsync(ct);
    }

    public async Task<PhotoDetail> GetPhotoAsync(CurrentUser user, Guid photoId, CancellationToken ct = default)
    {
        var photo = await db.Photos.AsNoTracking()
            .Include(p => p.MediaFile).Include(p => p.CreatedBy).Include(p => p.UpdatedBy).Include(p => p.Patient)
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
