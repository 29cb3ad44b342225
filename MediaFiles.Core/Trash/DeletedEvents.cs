using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Trash;

/// <summary>A deleted timeline entry as the trash shows it to an admin.</summary>
public sealed record DeletedItem(
    Guid EventId, EventType Type, Guid PatientId, string PatientName, string WardName, string Description,
    Guid MediaFileId, int PhotoCount, DateTime EventDateTime, string CreatedByName,
    DateTime DeletedAt, string DeletedByName, DateTime RestorableUntil);

/// <summary>What a purge would remove now: the entries past the retention, and the bytes of the originals only they hold.</summary>
public sealed record PurgeEstimate(int Entries, long Bytes);

/// <summary>What one purge removed.</summary>
public sealed record PurgeResult(int EventsPurged, int BlobsDeleted, int FilesDeleted);

/// <summary>
/// Soft delete, restore and purge. Deleting hides an event (and so its media) through the global
/// query filter but keeps its references on the blobs; an admin can restore it within the
/// retention; the purge then removes it for good and gives back its references, deleting a blob's
/// files only when nothing else holds it.
/// </summary>
public sealed class DeletedEvents(
    MediaFilesDbContext db,
    AccessPolicy access,
    MediaReferences references,
    IMediaEventBus bus,
    AuditLog audit,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock)
{
    public const string RestoreAction = AuditActions.EventRestore;
    public const string PurgeAction = AuditActions.EventPurge;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
    private TimeSpan Retention => options.Value.DeletedRetention;

    /// <summary>Hides the event. The caller has checked the user may delete it.</summary>
    public async Task SoftDeleteAsync(CurrentUser user, Event evt, string auditAction, Guid? mediaFileId, CancellationToken ct)
    {
        var now = Now;
        var changed = await db.Events.Where(e => e.Id == evt.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DeletedAt, now).SetProperty(e => e.DeletedById, user.Id), ct);
        if (changed == 0) throw new NotFoundException("It was already deleted.");
        await audit.WriteAsync(auditAction, user.Id, true, mediaFileId, evt.Id, evt.PatientId, "soft_deleted", ct);
        bus.Publish(new TimelineChanged(evt.PatientId, evt.Id));
    }

    /// <summary>Deleted entries of the patients the admin can see, most recently deleted first.</summary>
    public async Task<IReadOnlyList<DeletedItem>> ListAsync(CurrentUser user, CancellationToken ct = default)
    {
        RequireAdmin(user);
        var visible = access.VisiblePatients(user);
        var patients = db.Patients.Where(visible).Select(p => p.Id);
        var deleted = db.Events.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.DeletedAt != null && patients.Contains(e.PatientId));
        var rows = await deleted
            .Select(e => new
            {
                e.Id, e.EventType, e.PatientId, Patient = e.Patient!.Name, Ward = e.Patient.Ward!.Name, e.EventDateTime,
                CreatedBy = e.CreatedBy!.DisplayName, DeletedAt = e.DeletedAt!.Value, DeletedBy = db.Users.Where(u => u.Id == e.DeletedById).Select(u => u.DisplayName).FirstOrDefault() ?? "",
                Description = e is Photo ? ((Photo)e).Description : e is VideoClip ? ((VideoClip)e).Caption : ((PhotoSeries)e).Caption,
                SingleMedia = e is Photo ? (Guid?)((Photo)e).MediaFileId : e is VideoClip ? (Guid?)((VideoClip)e).MediaFileId : null,
            })
            .OrderByDescending(e => e.DeletedAt)
            .ToListAsync(ct);
        var seriesIds = rows.Where(r => r.SingleMedia is null).Select(r => r.Id).ToList();
        var seriesFirst = await db.PhotoSeriesFiles.IgnoreQueryFilters().AsNoTracking()
            .Where(f => seriesIds.Contains(f.SeriesId))
            .GroupBy(f => f.SeriesId)
            .Select(g => new { SeriesId = g.Key, Count = g.Count(), First = g.OrderBy(f => f.OrderIndex).Select(f => f.MediaFileId).First() })
            .ToDictionaryAsync(g => g.SeriesId, ct);
        return rows.Select(r =>
        {
            var first = seriesFirst.GetValueOrDefault(r.Id);
            return new DeletedItem(r.Id, r.EventType, r.PatientId, r.Patient, r.Ward,
                string.IsNullOrEmpty(r.Description) && r.EventType == EventType.Photo ? "" : r.Description,
                r.SingleMedia ?? first?.First ?? Guid.Empty, first?.Count ?? 1, r.EventDateTime, r.CreatedBy,
                r.DeletedAt, r.DeletedBy, r.DeletedAt + Retention);
        }).ToList();
    }

    /// <summary>
    /// Brings a deleted entry back on the timeline: an admin within the retention, or the person who
    /// deleted it within the undo window (<see cref="AccessPolicy.WhyNotRestore"/>). Audited either way.
    /// </summary>
    public async Task RestoreAsync(CurrentUser user, Guid eventId, CancellationToken ct = default)
    {
        var evt = await db.Events.IgnoreQueryFilters().AsNoTracking()
            .Include(e => e.Patient).ThenInclude(p => p!.Ward)
            .FirstOrDefaultAsync(e => e.Id == eventId && e.DeletedAt != null, ct);
        if (evt is null || !access.CanView(user, evt.Patient!))
        {
            RequireAdmin(user);
            throw new NotFoundException("No such deleted entry.");
        }
        if (access.WhyNotRestore(user, evt) is { } why) throw new ForbiddenException(why);
        var undo = access.IsUndo(user, evt);
        var now = Now;
        var changed = await db.Events.IgnoreQueryFilters().Where(e => e.Id == eventId && e.DeletedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DeletedAt, (DateTime?)null).SetProperty(e => e.DeletedById, (Guid?)null)
                .SetProperty(e => e.UpdatedById, user.Id).SetProperty(e => e.UpdatedAt, now), ct);
        if (changed == 0) throw new NotFoundException("It was already restored.");
        await audit.WriteAsync(RestoreAction, user.Id, true, eventId: eventId, patientId: evt.PatientId, details: undo ? "undo" : null, ct: ct);
        bus.Publish(new TimelineChanged(evt.PatientId, eventId));
    }

    /// <summary>
    /// What <see cref="PurgeExpiredAsync"/> would remove now: the entries deleted longer ago than the
    /// retention, and the bytes of the originals whose every reference is one of theirs (an estimate:
    /// variants and playable copies are not counted).
    /// </summary>
    public async Task<PurgeEstimate> EstimatePurgeAsync(CurrentUser user, CancellationToken ct = default)
    {
        RequireAdmin(user);
        var cutoff = Now - Retention;
        var expired = db.Events.IgnoreQueryFilters().Where(e => e.DeletedAt != null && e.DeletedAt <= cutoff).Select(e => e.Id);
        var entries = await expired.CountAsync(ct);
        if (entries == 0) return new PurgeEstimate(0, 0);
        var held = await db.Photos.IgnoreQueryFilters().Where(p => expired.Contains(p.Id)).Select(p => p.MediaFileId)
            .Concat(db.VideoClips.IgnoreQueryFilters().Where(v => expired.Contains(v.Id)).Select(v => v.MediaFileId))
            .Concat(db.PhotoSeriesFiles.IgnoreQueryFilters().Where(f => expired.Contains(f.SeriesId)).Select(f => f.MediaFileId))
            .ToListAsync(ct);
        var counts = held.GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var ids = counts.Keys.ToList();
        var blobs = await db.MediaFiles.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.ReferenceCount, m.Size }).ToListAsync(ct);
        return new PurgeEstimate(entries, blobs.Where(b => b.ReferenceCount <= counts[b.Id]).Sum(b => b.Size));
    }

    /// <summary>Removes for good every entry deleted longer ago than the retention. Safe to run at any time, and again.</summary>
    public async Task<PurgeResult> PurgeExpiredAsync(IProgress<int>? progress, CancellationToken ct = default)
    {
        var cutoff = Now - Retention;
        var expired = await db.Events.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.DeletedAt != null && e.DeletedAt <= cutoff)
            .Select(e => new { e.Id, e.PatientId })
            .ToListAsync(ct);
        int blobs = 0, files = 0, done = 0;
        foreach (var evt in expired)
        {
            ct.ThrowIfCancellationRequested();
            var toDelete = new List<string>();
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var media = await MediaOfAsync(evt.Id, ct);
                await db.PhotoSeriesFiles.IgnoreQueryFilters().Where(f => f.SeriesId == evt.Id).ExecuteDeleteAsync(ct);
                var tracked = await db.Events.IgnoreQueryFilters().FirstOrDefaultAsync(e => e.Id == evt.Id && e.DeletedAt != null && e.DeletedAt <= cutoff, ct);
                if (tracked is null) continue; // restored or purged meanwhile
                db.Events.Remove(tracked);
                await db.SaveChangesAsync(ct);
                foreach (var id in media)
                {
                    var released = await references.ReleaseAsync(id, ct);
                    if (released.Count > 0) blobs++;
                    toDelete.AddRange(released);
                }
                await tx.CommitAsync(ct);
            }
            db.ChangeTracker.Clear();
            references.DeleteFiles(toDelete);
            files += toDelete.Count;
            await audit.WriteAsync(PurgeAction, null, true, eventId: evt.Id, patientId: evt.PatientId,
                details: toDelete.Count > 0 ? "blob_deleted" : "blob_kept", ct: ct);
            done++;
            progress?.Report(done * 100 / expired.Count);
        }
        progress?.Report(100);
        return new PurgeResult(done, blobs, files);
    }

    private async Task<List<Guid>> MediaOfAsync(Guid eventId, CancellationToken ct)
    {
        var single = await db.Photos.IgnoreQueryFilters().Where(p => p.Id == eventId).Select(p => p.MediaFileId)
            .Concat(db.VideoClips.IgnoreQueryFilters().Where(v => v.Id == eventId).Select(v => v.MediaFileId))
            .ToListAsync(ct);
        var series = await db.PhotoSeriesFiles.IgnoreQueryFilters().Where(f => f.SeriesId == eventId).Select(f => f.MediaFileId).ToListAsync(ct);
        return [.. single, .. series];
    }

    private static void RequireAdmin(CurrentUser user)
    {
        if (!user.IsInRole(Roles.Admin)) throw new ForbiddenException("Only an admin can see and restore deleted entries.");
    }
}
