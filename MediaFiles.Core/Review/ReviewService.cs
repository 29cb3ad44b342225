using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Review;

/// <summary>The newest review mark of an entry, as cards and the timeline show it.</summary>
public sealed record ReviewState(ReviewKind Kind, string Note, string ReviewerName, DateTime At);

/// <summary>Reviewers (and admins) mark a timeline entry reviewed, or flag it with a note.</summary>
public sealed class ReviewService(
    MediaFilesDbContext db,
    AccessPolicy access,
    IMediaEventBus bus,
    AuditLog audit,
    TimeProvider clock)
{
    public const string ReviewedAction = "review.reviewed";
    public const string FlaggedAction = "review.flagged";

    public async Task<ReviewState> MarkAsync(CurrentUser user, Guid eventId, ReviewKind kind, string? note, CancellationToken ct = default)
    {
        if (!access.CanReview(user))
            throw new ForbiddenException("Only reviewers and admins can mark media reviewed or flag it.");
        var evt = await db.Events.AsNoTracking().Include(e => e.Patient).ThenInclude(p => p!.Ward)
            .FirstOrDefaultAsync(e => e.Id == eventId, ct);
        if (evt is null || !access.CanView(user, evt.Patient!))
            throw new NotFoundException("No such entry.");
        var text = (note ?? "").Trim();
        if (text.Length > ReviewMark.NoteMaxLength)
            throw new ValidationException($"A review note can be at most {ReviewMark.NoteMaxLength} characters; this one has {text.Length}.");
        if (kind == ReviewKind.Flagged && text.Length == 0)
            throw new ValidationException("Say in a short note why you flag this, so the ward knows what to look at.");
        if (!Enum.IsDefined(kind)) throw new ValidationException("A mark is either reviewed or flagged.");

        var mark = new ReviewMark { EventId = eventId, Kind = kind, Note = text, ReviewerId = user.Id, At = clock.GetUtcNow().UtcDateTime };
        db.ReviewMarks.Add(mark);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        // The note stays in the database; the audit row carries codes only.
        await audit.WriteAsync(kind == ReviewKind.Flagged ? FlaggedAction : ReviewedAction, user.Id, true, eventId: eventId, patientId: evt.PatientId, ct: ct);
        bus.Publish(new TimelineChanged(evt.PatientId, eventId));
        return new ReviewState(kind, text, user.DisplayName, mark.At);
    }

    /// <summary>Every mark on an entry the user can see, newest first.</summary>
    public async Task<IReadOnlyList<ReviewState>> HistoryAsync(CurrentUser user, Guid eventId, CancellationToken ct = default)
    {
        var evt = await db.Events.AsNoTracking().Include(e => e.Patient).ThenInclude(p => p!.Ward)
            .FirstOrDefaultAsync(e => e.Id == eventId, ct);
        if (evt is null || !access.CanView(user, evt.Patient!))
            throw new NotFoundException("No such entry.");
        var marks = await db.ReviewMarks.AsNoTracking().Where(r => r.EventId == eventId)
            .Select(r => new ReviewState(r.Kind, r.Note, r.Reviewer!.DisplayName, r.At))
            .ToListAsync(ct);
        return marks.OrderByDescending(m => m.At).ToList();
    }

    /// <summary>The newest mark of each of the given entries (entries without a mark are absent).</summary>
    public static async Task<Dictionary<Guid, ReviewState>> LatestAsync(MediaFilesDbContext db, IReadOnlyCollection<Guid> eventIds, CancellationToken ct)
    {
        if (eventIds.Count == 0) return [];
        var marks = await db.ReviewMarks.AsNoTracking()
            .Where(r => eventIds.Contains(r.EventId))
            .Select(r => new { r.EventId, r.Kind, r.Note, Reviewer = r.Reviewer!.DisplayName, r.At })
            .ToListAsync(ct);
        return marks.GroupBy(m => m.EventId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.At).Select(m => new ReviewState(m.Kind, m.Note, m.Reviewer, m.At)).First());
    }
}
