using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Photos;

/// <summary>
/// Takes a user's staged uploads to attach them to an event, inside the caller's transaction: each
/// staged row goes, and its reference on the blob passes to the event (the count stays as it is).
/// </summary>
internal enum MediaKindRequired
{
    Image,
    Video,
}

internal static class StagedUploadClaims
{
    public static async Task<IReadOnlyList<StagedUpload>> ClaimAsync(MediaFilesDbContext db, CurrentUser user, IReadOnlyList<Guid> uploadIds, CancellationToken ct,
        MediaKindRequired kind = MediaKindRequired.Image)
    {
        var ids = uploadIds.ToList();
        var uploads = await db.StagedUploads.Include(s => s.MediaFile)
            .Where(s => ids.Contains(s.Id) && s.UploadedById == user.Id)
            .ToListAsync(ct);
        if (uploads.Count != ids.Distinct().Count())
            throw new NotFoundException("An upload is no longer waiting to be attached (it may have expired): upload the file again.");
        var prefix = kind == MediaKindRequired.Video ? "video/" : "image/";
        if (uploads.Any(u => !u.MediaFile!.MimeType.StartsWith(prefix, StringComparison.Ordinal)))
            throw new ValidationException(kind == MediaKindRequired.Video ? "A video clip needs a video." : "Only images can go into a photo or a series.");

        foreach (var upload in uploads)
        {
            db.StagedUploads.Remove(upload);
            upload.MediaFile!.StagedById = null;
            upload.MediaFile.StagedAt = null;
        }
        // In the order the caller gave.
        return ids.Distinct().Select(id => uploads.First(u => u.Id == id)).ToList();
    }
}
