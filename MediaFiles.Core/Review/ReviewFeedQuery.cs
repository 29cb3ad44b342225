using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Photos;
using Microsoft.EntityFrameworkCore;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Core.Review;

/// <summary>What the review page narrows the feed to; every part is optional.</summary>
public sealed record ReviewFilter(Guid? WardId = null, Guid? PatientId = null, EventType? Type = null, bool NotYetReviewedOnly = false, bool OpenFlagsOnly = false);

/// <summary>A card of the review feed: the timeline card plus whose it is.</summary>
public sealed record ReviewFeedItem(TimelineItem Item, string PatientName, string WardName, string? Bed, string Mrn = "");

/// <summary>A patient a reviewer can pick in the filters.</summary>
public sealed record ReviewPatient(Guid Id, string Name, Guid WardId, string WardName);

/// <summary>
/// The newest media of the patients a reviewer can see, newest upload first: the live review page.
/// Visibility is <see cref="AccessPolicy.VisiblePatients"/>, the same rule as everywhere.
/// </summary>
public sealed class ReviewFeedQuery(MediaFilesDbContext db, AccessPolicy access)
{
    public const int DefaultTake = 60;

    public async Task<IReadOnlyList<ReviewFeedItem>> GetAsync(CurrentUser user, ReviewFilter filter, int take = DefaultTake, CancellationToken ct = default)
    {
        RequireReviewer(user);
        var patients = db.Patients.Where(access.VisiblePatients(user));
        if (filter.WardId is { } ward) patients = patients.Where(p => p.WardId == ward);
        if (filter.PatientId is { } patient) patients = patients.Where(p => p.Id == patient);
        var ids = patients.Select(p => p.Id);

        IQueryable<T> Newest<T>(IQueryable<T> events) where T : Event
        {
            var q = events.Where(e => ids.Contains(e.PatientId));
            if (filter.NotYetReviewedOnly) q = q.Where(e => !db.ReviewMarks.Any(r => r.EventId == e.Id));
            // Flagged, unresolved: the newest mark is a flag nobody resolved.
            if (filter.OpenFlagsOnly)
                q = q.Where(e => db.ReviewMarks.Where(r => r.EventId == e.Id).OrderByDescending(r => r.At)
                    .Select(r => r.Kind == ReviewKind.Flagged && !db.FlagReplies.Any(x => x.MarkId == r.Id && x.Resolves)).FirstOrDefault());
            return q.OrderByDescending(e => e.CreatedAt).Take(take);
        }

        var items = await TimelineItems.ReadAsync(db,
            filter.Type is null or EventType.Photo ? Newest(db.Photos) : null,
            filter.Type is null or EventType.PhotoSeries ? Newest(db.PhotoSeries) : null,
            filter.Type is null or EventType.VideoClip ? Newest(db.VideoClips) : null, ct);
        var newest = items.OrderByDescending(i => i.CreatedAt).Take(take).ToList();

        var patientIds = newest.Select(i => i.PatientId).Distinct().ToList();
        var who = await db.Patients.AsNoTracking().Where(p => patientIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, Ward = p.Ward!.Name, p.Bed, p.Mrn })
            .ToDictionaryAsync(p => p.Id, ct);
        return newest.Select(i => new ReviewFeedItem(i, who[i.PatientId].Name, who[i.PatientId].Ward, who[i.PatientId].Bed, who[i.PatientId].Mrn)).ToList();
    }

    /// <summary>One entry of the feed, if the reviewer can see it (a live update asks for just that one).</summary>
    public async Task<ReviewFeedItem?> FindAsync(CurrentUser user, Guid eventId, CancellationToken ct = default)
    {
        RequireReviewer(user);
        var ids = db.Patients.Where(access.VisiblePatients(user)).Select(p => p.Id);
        var items = await TimelineItems.ReadAsync(db,
            db.Photos.Where(p => p.Id == eventId && ids.Contains(p.PatientId)),
            db.PhotoSeries.Where(s => s.Id == eventId && ids.Contains(s.PatientId)),
            db.VideoClips.Where(v => v.Id == eventId && ids.Contains(v.PatientId)), ct);
        if (items.Count == 0) return null;
        var item = items[0];
        var p = await db.Patients.AsNoTracking().Where(x => x.Id == item.PatientId)
            .Select(x => new { x.Name, Ward = x.Ward!.Name, x.Bed, x.Mrn }).FirstAsync(ct);
        return new ReviewFeedItem(item, p.Name, p.Ward, p.Bed, p.Mrn);
    }

    /// <summary>The patients (with their wards) the reviewer can filter by, by ward then name.</summary>
    public async Task<IReadOnlyList<ReviewPatient>> PatientsAsync(CurrentUser user, CancellationToken ct = default)
    {
        RequireReviewer(user);
        return await db.Patients.AsNoTracking().Where(access.VisiblePatients(user))
            .OrderBy(p => p.Ward!.Name).ThenBy(p => p.Name)
            .Select(p => new ReviewPatient(p.Id, p.Name, p.WardId, p.Ward!.Name))
            .ToListAsync(ct);
    }

    private void RequireReviewer(CurrentUser user)
    {
        if (!access.CanReview(user)) throw new ForbiddenException("The review page is for reviewers and admins.");
    }
}
