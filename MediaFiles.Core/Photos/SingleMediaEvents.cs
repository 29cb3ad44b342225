using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Photos;

/// <summary>An event that holds one blob: a Photo or a VideoClip.</summary>
public interface ISingleMediaEvent
{
    Guid MediaFileId { get; }
}

/// <summary>
/// What Photo and VideoClip share once they exist: who may change them (the creator, within the
/// edit window), and deleting one, which gives back its reference on the blob.
/// </summary>
public sealed class SingleMediaEvents(
    MediaFilesDbContext db,
    AccessPolicy access,
    Trash.DeletedEvents trash,
    IMediaEventBus bus,
    AuditLog audit,
    TimeProvider clock)
{
    /// <param name="noun">"photo" or "clip": the messages name what the user is changing.</param>
    public async Task<T> FindEditableAsync<T>(CurrentUser user, Guid id, string noun, CancellationToken ct) where T : Event
    {
        var evt = await db.Set<T>().Include(e => e.Patient).ThenInclude(p => p!.Ward).FirstOrDefaultAsync(e => e.Id == id, ct);
        if (evt is null || !access.CanView(user, evt.Patient!))
            throw new NotFoundException($"No such {noun}.");
        if (access.WhyNotEdit(user, evt, noun) is { } why)
            throw new ForbiddenException(why);
        return evt;
    }

    /// <summary>Applies a change to an editable event, stamps who and when, and tells the audit trail and the bus.</summary>
    public async Task UpdateAsync<T>(CurrentUser user, T evt, Action<T, DateTime> change, string auditAction, CancellationToken ct)
        where T : Event, ISingleMediaEvent
    {
        var now = clock.GetUtcNow().UtcDateTime;
        change(evt, now);
        evt.UpdatedById = user.Id;
        evt.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await audit.WriteAsync(auditAction, user.Id, true, evt.MediaFileId, evt.Id, evt.PatientId, ct: ct);
        bus.Publish(new TimelineChanged(evt.PatientId, evt.Id));
    }

    /// <summary>Hides the event; it keeps its reference on the blob until the purge (see <see cref="Trash.DeletedEvents"/>).</summary>
    public Task DeleteAsync<T>(CurrentUser user, T evt, string auditAction, CancellationToken ct) where T : Event, ISingleMediaEvent =>
        trash.SoftDeleteAsync(user, evt, auditAction, evt.MediaFileId, ct);
}
