using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Video;

public sealed record VideoDetail(
    Guid EventId, Guid PatientId, string PatientName, DateTime EventDateTime, string Caption,
    Guid CreatedById, string CreatedByName, DateTime CreatedAt,
    Guid MediaFileId, string MimeType, int? Width, int? Height, long Size, double? DurationSeconds,
    string? VideoCodec, string? AudioCodec, double? FrameRate, long? Bitrate, string OriginalFilename,
    PlayableState PlayableState, int PlayableProgress, string? PlayableError, bool CanEdit, DateTime EditableUntil);

/// <summary>Creates, reads, edits and deletes VideoClip events (type 10) from staged uploads.</summary>
public sealed class VideoClipService(
    MediaFilesDbContext db,
    AccessPolicy access,
    PatientDirectory patients,
    SingleMediaEvents events,
    IMediaEventBus bus,
    AuditLog audit,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <param name="eventDateTime">The time the user picked; null: the clip's recording time, else when it arrived (<see cref="EventRules.ForNewEvent"/>).</param>
    public async Task<Guid> CreateAsync(CurrentUser user, Guid patientId, Guid uploadId, string? caption, DateTime? eventDateTime, CancellationToken ct = default)
    {
        var patient = await patients.FindVisibleAsync(user, patientId, ct);
        if (!access.CanAddMedia(user, patient))
            throw new ForbiddenException("Your role cannot add video clips.");
        var now = Now;
        if (eventDateTime is { } picked) EventRules.EventTime(picked, now);
        var clip = new VideoClip
        {
            PatientId = patient.Id,
            Caption = EventRules.Text(caption, "caption", VideoClip.CaptionMaxLength),
            CreatedById = user.Id,
            CreatedAt = now,
            UpdatedById = user.Id,
            UpdatedAt = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var upload = (await StagedUploadClaims.ClaimAsync(db, user, [uploadId], ct, MediaKindRequired.Video))[0];
            clip.MediaFileId = upload.MediaFileId;
            clip.EventDateTime = EventRules.ForNewEvent(eventDateTime, [upload], now);
            db.VideoClips.Add(clip);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        await audit.WriteAsync(AuditActions.VideoCreate, user.Id, true, clip.MediaFileId, clip.Id, patient.Id, ct: ct);
        bus.Publish(new TimelineChanged(patient.Id, clip.Id));
        return clip.Id;
    }

    public async Task<VideoDetail> GetAsync(CurrentUser user, Guid clipId, CancellationToken ct = default)
    {
        var clip = await db.VideoClips.AsNoTracking().Include(v => v.MediaFile).Include(v => v.CreatedBy).Include(v => v.Patient).ThenInclude(p => p!.Ward)
            .FirstOrDefaultAsync(v => v.Id == clipId, ct);
        if (clip is null || !access.CanView(user, clip.Patient!))
            throw new NotFoundException("No such clip.");
        var m = clip.MediaFile!;
        return new VideoDetail(clip.Id, clip.PatientId, clip.Patient!.Name, clip.EventDateTime, clip.Caption,
            clip.CreatedById, clip.CreatedBy!.DisplayName, clip.CreatedAt,
            m.Id, m.MimeType, m.Width, m.Height, m.Size, m.DurationSeconds, m.VideoCodec, m.AudioCodec, m.FrameRate, m.Bitrate, m.OriginalFilename,
            m.PlayableState, m.PlayableProgress, m.PlayableError, access.CanEdit(user, clip), access.EditableUntil(clip));
    }

    public async Task UpdateAsync(CurrentUser user, Guid clipId, string? caption, DateTime? eventDateTime, CancellationToken ct = default)
    {
        var text = EventRules.Text(caption, "caption", VideoClip.CaptionMaxLength);
        await events.UpdateAsync(user, await FindEditableAsync(user, clipId, ct), (clip, now) =>
        {
            clip.Caption = text;
            if (eventDateTime is { } when) clip.EventDateTime = EventRules.EventTime(when, now);
        }, AuditActions.VideoUpdate, ct);
    }

    public async Task DeleteAsync(CurrentUser user, Guid clipId, CancellationToken ct = default) =>
        await events.DeleteAsync(user, await FindEditableAsync(user, clipId, ct), AuditActions.VideoDelete, ct);

    private Task<VideoClip> FindEditableAsync(CurrentUser user, Guid clipId, CancellationToken ct) =>
        events.FindEditableAsync<VideoClip>(user, clipId, "clip", ct);
}
