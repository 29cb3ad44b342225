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
        // Admins also read the media of deleted entries: the trash shows them before a restore.
        var admin = user.IsInRole(Roles.Admin);
        var photos = admin ? db.Photos.IgnoreQueryFilters() : db.Photos;
        var clips = admin ? db.VideoClips.IgnoreQueryFilters() : db.VideoClips;
        var seriesFiles = db.PhotoSeriesFiles.Where(f => admin || f.Series!.DeletedAt == null);
        var patientId = await photos.AsNoTracking()
            .Where(p => p.MediaFileId == mediaFileId).Select(p => p.Patient!).Where(visible)
            .Select(p => (Guid?)p.Id)
            .FirstOrDefaultAsync(ct);
        if (patientId is not null) return new ReadableMedia(file, patientId);

        patientId = await clips.AsNoTracking()
            .Where(v => v.MediaFileId == mediaFileId).Select(v => v.Patient!).Where(visible)
            .Select(p => (Guid?)p.Id)
            .FirstOrDefaultAsync(ct);
        if (patientId is not null) return new ReadableMedia(file, patientId);

        patientId = await seriesFiles.IgnoreQueryFilters().AsNoTracking()
            .Where(f => f.MediaFileId == mediaFileId).Select(f => f.Series!.Patient!).Where(visible)
            .Select(p => (Guid?)p.Id)
            .FirstOrDefaultAsync(ct);
        if (patientId is not null) return new ReadableMedia(file, patientId);

        var ownStaged = await db.StagedUploads.AnyAsync(s => s.MediaFileId == mediaFileId && s.UploadedById == user.Id, ct);
        return ownStaged ? new ReadableMedia(file, null) : null;
    }
}
