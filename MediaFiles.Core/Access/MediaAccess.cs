using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Access;

/// <summary>A blob a user may read, with the patient it was read for (null for the uploader's own staged file).</summary>
public sealed record ReadableMedia(MediaFile File, Guid? PatientId);

/// <summary>Decides whether a user may read a blob: through a patient of their ward, or as its uploader while it is staged.</summary>
public sealed class MediaAccess(MediaFilesDbContext db, AccessPolicy access)
{
    public async Task<ReadableMedia?> FindReadableAsync(CurrentUser user, Guid mediaFileId, CancellationToken ct)
    {
        var file = await db.MediaFiles.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mediaFileId, ct);
        if (file is null) return null;

        var visible = access.VisiblePatients(user);
        var patientId = await db.Photos.AsNoTracking()
            .Where(p => p.MediaFileId == mediaFileId).Select(p => p.Patient!).Where(visible)
            .Select(p => (Guid?)p.Id)
            .FirstOrDefaultAsync(ct);
        if (patientId is not null) return new ReadableMedia(file, patientId);

        patientId = await db.VideoClips.AsNoTracking()
            .Where(v => v.MediaFileId == mediaFileId).Select(v => v.Patient!).Where(visible)
            .Select(p => (Guid?)p.Id)
            .FirstOrDefaultAsync(ct);
        if (patientId is not null) return new ReadableMedia(file, patientId);

        patientId = await db.PhotoSeriesFiles.AsNoTracking()
            .Where(f => f.MediaFileId == mediaFileId).Select(f => f.Series!.Patient!).Where(visible)
            .Select(p => (Guid?)p.Id)
            .FirstOrDefaultAsync(ct);
        if (patientId is not null) return new ReadableMedia(file, patientId);

        var ownStaged = await db.StagedUploads.AnyAsync(s => s.MediaFileId == mediaFileId && s.UploadedById == user.Id, ct);
        return ownStaged ? new ReadableMedia(file, null) : null;
    }
}
