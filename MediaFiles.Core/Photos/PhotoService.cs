using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Photos;

/// <summary>Creates, edits and deletes Photo events (type 3) from staged uploads.</summary>
public sealed class PhotoService(
    MediaFilesDbContext db,
    AccessPolicy access,
    PatientDirectory patients,
    SingleMediaEvents events,
    IMediaEventBus bus,
    AuditLog audit,
    TimeProvider clock)
{
    /// <param name="eventDateTime">The time the user picked; null: the camera's time, else when the file arrived (<see cref="EventRules.ForNewEvent"/>).</param>
    public async Task<Guid> CreateAsync(CurrentUser user, Guid patientId, Guid uploadId, string? description, DateTime? eventDateTime, CancellationToken ct = default)
    {
        var patient = await patients.FindVisibleAsync(user, patientId, ct);
        if (!access.CanAddMedia(user, patient))
            throw new ForbiddenException("Your role cannot add photos.");
        var now = Now;
        if (eventDateTime is { } picked) EventRules.EventTime(picked, now);
        var text = EventRules.Text(description, "description");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var upload = (await StagedUploadClaims.ClaimAsync(db, user, [uploadId], ct))[0];

        var photo = new Photo
        {
            PatientId = patient.Id,
            MediaFileId = upload.MediaFileId,
            EventDateTime = EventRules.ForNewEvent(eventDateTime, [upload], now),
            Description = text,
            CreatedById = user.Id,
            CreatedAt = now,
            UpdatedById = user.Id,
            UpdatedAt = now,
        };
        db.Photos.Add(photo);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();

        await audit.WriteAsync(AuditActions.PhotoCreate, user.Id, true, photo.MediaFileId, photo.Id, patient.Id, ct: ct);
        bus.Publish(new TimelineChanged(patient.Id, photo.Id));
        return photo.Id;
    }

    public async Task UpdateAsync(CurrentUser user, Guid photoId, string? description, DateTime? eventDateTime, CancellationToken ct = default)
    {
        var text = EventRules.Text(description, "description");
        await events.UpdateAsync(user, await FindEditableAsync(user, photoId, ct), (photo, now) =>
        {
            photo.Description = text;
            if (eventDateTime is { } when) photo.EventDateTime = EventRules.EventTime(when, now);
        }, AuditActions.PhotoUpdate, ct);
    }

    public async Task DeleteAsync(CurrentUser user, Guid photoId, CancellationToken ct = default) =>
        await events.DeleteAsync(user, await FindEditableAsync(user, photoId, ct), AuditActions.PhotoDelete, ct);

    private Task<Photo> FindEditableAsync(CurrentUser user, Guid photoId, CancellationToken ct) =>
        events.FindEditableAsync<Photo>(user, photoId, "photo", ct);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
