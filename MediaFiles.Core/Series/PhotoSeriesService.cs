using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Series;

/// <summary>
/// Photo series (event type 9): create from staged uploads, reorder, add, remove, caption, delete.
/// Every change to the order checks and bumps the series' Version in the same transaction, so a
/// stale editor is told (StaleSeriesException) instead of overwriting someone else's order.
/// Renumbering goes through negative positions so the unique (series, order_index) index holds
/// after every single row update.
/// </summary>
public sealed class PhotoSeriesService(
    MediaFilesDbContext db,
    AccessPolicy access,
    PatientDirectory patients,
    MediaReferences references,
    Trash.DeletedEvents trash,
    IMediaEventBus bus,
    AuditLog audit,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;
    private int Max => options.Value.MaxSeriesPhotos;

    /// <param name="eventDateTime">The time the user picked; null: the earliest photo's camera time, else when the first arrived (<see cref="EventRules.ForNewEvent"/>).</param>
    public async Task<Guid> CreateAsync(CurrentUser user, Guid patientId, IReadOnlyList<Guid> uploadIds, string? caption, DateTime? eventDateTime, CancellationToken ct = default)
    {
        var patient = await patients.FindVisibleAsync(user, patientId, ct);
        if (!access.CanAddMedia(user, patient))
            throw new ForbiddenException("Your role cannot add photos.");
        if (uploadIds.Count == 0)
            throw new ValidationException("A series needs at least one photo.");
        if (uploadIds.Count > Max)
            throw new ValidationException($"A series holds at most {Max} photos; this one would have {uploadIds.Count}.");
        var now = Now;
        if (eventDateTime is { } picked) EventRules.EventTime(picked, now);
        var series = new PhotoSeries
        {
            PatientId = patient.Id,
            Caption = EventRules.Text(caption, "caption", PhotoSeries.CaptionMaxLength),
            CreatedById = user.Id,
            CreatedAt = now,
            UpdatedById = user.Id,
            UpdatedAt = now,
        };

        IReadOnlyList<string> toDelete;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var claimed = await StagedUploadClaims.ClaimAsync(db, user, uploadIds, ct);
            series.EventDateTime = EventRules.ForNewEvent(eventDateTime, claimed, now);
            var (kept, extra) = SplitRepeats(claimed, existing: new HashSet<Guid>());
            var order = 1;
            foreach (var upload in kept)
                series.Files.Add(new PhotoSeriesFile { MediaFileId = upload.MediaFileId, OrderIndex = order++, CreatedAt = now });
            db.PhotoSeries.Add(series);
            await db.SaveChangesAsync(ct);
            toDelete = await ReleaseAsync(extra, ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        references.DeleteFiles(toDelete);
        await audit.WriteAsync(AuditActions.SeriesCreate, user.Id, true, eventId: series.Id, patientId: patient.Id, details: $"files:{series.Files.Count}", ct: ct);
        bus.Publish(new TimelineChanged(patient.Id, series.Id));
        return series.Id;
    }

    /// <summary>Moves the item at position <paramref name="from"/> to <paramref name="to"/>; returns the new version.</summary>
    public async Task<int> MoveAsync(CurrentUser user, Guid seriesId, int from, int to, int expectedVersion, CancellationToken ct = default)
    {
        var series = await FindAsync(user, seriesId, ct);
        if (!access.CanAddMedia(user, series.Patient!))
            throw new ForbiddenException("Your role cannot reorder series: reviewers view only.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await BumpVersionAsync(seriesId, expectedVersion, user, ct);
        var count = await db.PhotoSeriesFiles.CountAsync(f => f.SeriesId == seriesId, ct);
        if (from < 1 || from > count || to < 1 || to > count)
            throw new ValidationException($"Positions go from 1 to {count}.");
        if (from != to)
        {
            var (lo, hi) = from < to ? (from, to) : (to, from);
            // Same rule as SeriesOrder.AfterMove, as one UPDATE into negative (free) positions, then back.
            await db.PhotoSeriesFiles.Where(f => f.SeriesId == seriesId && f.OrderIndex >= lo && f.OrderIndex <= hi)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.OrderIndex,
                    f => f.OrderIndex == from ? -to : from < to ? -(f.OrderIndex - 1) : -(f.OrderIndex + 1)), ct);
            await FlipNegativeAsync(seriesId, ct);
        }
        await tx.CommitAsync(ct);
        await audit.WriteAsync(AuditActions.SeriesReorder, user.Id, true, eventId: seriesId, patientId: series.PatientId, details: $"{from}->{to}", ct: ct);
        bus.Publish(new TimelineChanged(series.PatientId, seriesId));
        return expectedVersion + 1;
    }

    /// <summary>Appends staged uploads at the end, in the order given; returns the new version.</summary>
    public async Task<int> AddAsync(CurrentUser user, Guid seriesId, IReadOnlyList<Guid> uploadIds, int expectedVersion, CancellationToken ct = default)
    {
        var series = await FindEditableAsync(user, seriesId, ct);
        if (uploadIds.Count == 0) throw new ValidationException("Pick at least one photo to add.");
        var now = Now;
        IReadOnlyList<string> toDelete;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await BumpVersionAsync(seriesId, expectedVersion, user, ct);
            var existing = await db.PhotoSeriesFiles.Where(f => f.SeriesId == seriesId).Select(f => f.MediaFileId).ToListAsync(ct);
            var claimed = await StagedUploadClaims.ClaimAsync(db, user, uploadIds, ct);
            var (kept, extra) = SplitRepeats(claimed, existing.ToHashSet());
            if (existing.Count + kept.Count > Max)
                throw new ValidationException($"A series holds at most {Max} photos: this one has {existing.Count}, so {Math.Max(0, Max - existing.Count)} more fit.");
            var order = existing.Count + 1;
            foreach (var upload in kept)
                db.PhotoSeriesFiles.Add(new PhotoSeriesFile { SeriesId = seriesId, MediaFileId = upload.MediaFileId, OrderIndex = order++, CreatedAt = now });
            await db.SaveChangesAsync(ct);
            toDelete = await ReleaseAsync(extra, ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        references.DeleteFiles(toDelete);
        await audit.WriteAsync(AuditActions.SeriesAdd, user.Id, true, eventId: seriesId, patientId: series.PatientId, details: $"files:{uploadIds.Count}", ct: ct);
        bus.Publish(new TimelineChanged(series.PatientId, seriesId));
        return expectedVersion + 1;
    }

    /// <summary>Removes one photo; the gap closes and the blob loses a reference. Returns the new version.</summary>
    public async Task<int> RemoveAsync(CurrentUser user, Guid seriesId, Guid itemId, int expectedVersion, CancellationToken ct = default)
    {
        var series = await FindEditableAsync(user, seriesId, ct);
        IReadOnlyList<string> toDelete;
        Guid mediaFileId;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await BumpVersionAsync(seriesId, expectedVersion, user, ct);
            var item = await db.PhotoSeriesFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == itemId && f.SeriesId == seriesId, ct)
                ?? throw new NotFoundException("That photo is no longer in the series.");
            if (await db.PhotoSeriesFiles.CountAsync(f => f.SeriesId == seriesId, ct) == 1)
                throw new ValidationException("This is the last photo of the series: delete the series instead.");
            mediaFileId = item.MediaFileId;
            await db.PhotoSeriesFiles.Where(f => f.Id == itemId).ExecuteDeleteAsync(ct);
            await db.PhotoSeriesFiles.Where(f => f.SeriesId == seriesId && f.OrderIndex > item.OrderIndex)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.OrderIndex, f => -(f.OrderIndex - 1)), ct);
            await FlipNegativeAsync(seriesId, ct);
            toDelete = await references.ReleaseAsync(mediaFileId, ct);
            await tx.CommitAsync(ct);
        }
        references.DeleteFiles(toDelete);
        await audit.WriteAsync(AuditActions.SeriesRemove, user.Id, true, mediaFileId, seriesId, series.PatientId,
            toDelete.Count > 0 ? "blob_deleted" : "blob_kept", ct);
        bus.Publish(new TimelineChanged(series.PatientId, seriesId));
        return expectedVersion + 1;
    }

    public async Task SetItemCaptionAsync(CurrentUser user, Guid seriesId, Guid itemId, string? caption, CancellationToken ct = default)
    {
        var series = await FindEditableAsync(user, seriesId, ct);
        var text = EventRules.Text(caption, "caption", PhotoSeries.CaptionMaxLength);
        var changed = await db.PhotoSeriesFiles.Where(f => f.Id == itemId && f.SeriesId == seriesId)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Caption, text), ct);
        if (changed == 0) throw new NotFoundException("That photo is no longer in the series.");
        await TouchAsync(seriesId, user, ct);
        await audit.WriteAsync(AuditActions.SeriesCaption, user.Id, true, eventId: seriesId, patientId: series.PatientId, ct: ct);
        bus.Publish(new TimelineChanged(series.PatientId, seriesId));
    }

    public async Task UpdateAsync(CurrentUser user, Guid seriesId, string? caption, DateTime? eventDateTime, CancellationToken ct = default)
    {
        var series = await FindEditableAsync(user, seriesId, ct);
        var now = Now;
        var text = EventRules.Text(caption, "caption", PhotoSeries.CaptionMaxLength);
        var when = eventDateTime is { } t ? EventRules.EventTime(t, now) : series.EventDateTime;
        // Caption and event fields live in two tables (TPT): one UPDATE each.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.PhotoSeries.Where(s => s.Id == seriesId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Caption, text), ct);
            await db.Events.Where(e => e.Id == seriesId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.EventDateTime, when).SetProperty(x => x.UpdatedById, user.Id).SetProperty(x => x.UpdatedAt, now), ct);
            await tx.CommitAsync(ct);
        }
        await audit.WriteAsync(AuditActions.SeriesUpdate, user.Id, true, eventId: seriesId, patientId: series.PatientId, ct: ct);
        bus.Publish(new TimelineChanged(series.PatientId, seriesId));
    }

    /// <summary>Hides the series; its photos keep their references until the purge (see <see cref="Trash.DeletedEvents"/>).</summary>
    public async Task DeleteAsync(CurrentUser user, Guid seriesId, CancellationToken ct = default) =>
        await trash.SoftDeleteAsync(user, await FindEditableAsync(user, seriesId, ct), AuditActions.SeriesDelete, null, ct);

    private async Task<PhotoSeries> FindAsync(CurrentUser user, Guid seriesId, CancellationToken ct)
    {
        var series = await db.PhotoSeries.AsNoTracking().Include(s => s.Patient).ThenInclude(p => p!.Ward).FirstOrDefaultAsync(s => s.Id == seriesId, ct);
        if (series is null || !access.CanView(user, series.Patient!))
            throw new NotFoundException("No such series.");
        return series;
    }

    private async Task<PhotoSeries> FindEditableAsync(CurrentUser user, Guid seriesId, CancellationToken ct)
    {
        var series = await FindAsync(user, seriesId, ct);
        if (access.WhyNotEdit(user, series, "series", "series") is { } why)
            throw new ForbiddenException(why);
        return series;
    }

    /// <summary>The optimistic-concurrency check: one conditional UPDATE, inside the caller's transaction.</summary>
    private async Task BumpVersionAsync(Guid seriesId, int expectedVersion, CurrentUser user, CancellationToken ct)
    {
        var bumped = await db.PhotoSeries.Where(s => s.Id == seriesId && s.Version == expectedVersion)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, x => x.Version + 1), ct);
        if (bumped == 0)
        {
            var current = await db.PhotoSeries.Where(s => s.Id == seriesId).Select(s => s.Version).FirstAsync(ct);
            throw new StaleSeriesException(current);
        }
        await TouchAsync(seriesId, user, ct);
    }

    private Task TouchAsync(Guid seriesId, CurrentUser user, CancellationToken ct)
    {
        var now = Now;
        return db.Events.Where(e => e.Id == seriesId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UpdatedById, user.Id).SetProperty(x => x.UpdatedAt, now), ct);
    }

    private Task FlipNegativeAsync(Guid seriesId, CancellationToken ct) =>
        db.PhotoSeriesFiles.Where(f => f.SeriesId == seriesId && f.OrderIndex < 0)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.OrderIndex, f => -f.OrderIndex), ct);

    /// <summary>The same bytes twice in one series are kept once; the repeats' references are given back.</summary>
    private static (List<StagedUpload> Kept, List<StagedUpload> Extra) SplitRepeats(IReadOnlyList<StagedUpload> claimed, IReadOnlySet<Guid> existing)
    {
        var seen = new HashSet<Guid>(existing);
        var kept = new List<StagedUpload>();
        var extra = new List<StagedUpload>();
        foreach (var upload in claimed)
            (seen.Add(upload.MediaFileId) ? kept : extra).Add(upload);
        return (kept, extra);
    }

    private async Task<IReadOnlyList<string>> ReleaseAsync(IEnumerable<StagedUpload> uploads, CancellationToken ct)
    {
        var paths = new List<string>();
        foreach (var upload in uploads) paths.AddRange(await references.ReleaseAsync(upload.MediaFileId, ct));
        return paths;
    }
}
