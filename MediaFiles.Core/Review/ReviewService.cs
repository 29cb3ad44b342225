using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Review;

/// <summary>A ward's answer to a flag, as the card and the review panel show it.</summary>
public sealed record FlagReplyState(string Text, string AuthorName, DateTime At);

/// <summary>
/// A review mark of an entry, as cards and the timeline show it (the newest is the entry's state).
/// A flag carries the ward's replies, oldest first, and who resolved it when.
/// </summary>
public sealed record ReviewState(ReviewKind Kind, string Note, string ReviewerName, DateTime At)
{
    public IReadOnlyList<FlagReplyState> Replies { get; init; } = [];
    public string? ResolvedByName { get; init; }
    public DateTime? ResolvedAt { get; init; }

    /// <summary>A flag nobody has resolved yet: the ward still has something to look at.</summary>
    public bool IsOpenFlag => Kind == ReviewKind.Flagged && ResolvedAt is null;
}

/// <summary>
/// Reviewers (and admins) mark a timeline entry reviewed, or flag it with a note; the ward answers
/// a flag with replies and resolves it (reviewers may resolve too). Each change is audited and
/// published as <see cref="TimelineChanged"/>, so cards, panels and the review page follow live.
/// </summary>
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
        var evt = await FindVisibleAsync(user, eventId, ct);
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

    /// <summary>Ward staff (and admins) answer the entry's open flag. Audited (without the text); published live.</summary>
    public async Task<ReviewState> ReplyAsync(CurrentUser user, Guid eventId, string? text, CancellationToken ct = default)
    {
        var evt = await FindVisibleAsync(user, eventId, ct);
        if (!access.CanReplyToFlag(user, evt.Patient!))
            throw new ForbiddenException("Ward staff answer a flag; a reviewer can resolve it or flag again.");
        var body = (text ?? "").Trim();
        if (body.Length == 0) throw new ValidationException("Write what was done or what you found.");
        if (body.Length > FlagReply.TextMaxLength)
            throw new ValidationException($"A reply can be at most {FlagReply.TextMaxLength} characters; this one has {body.Length}.");
        var flag = await OpenFlagAsync(eventId, ct);

        db.FlagReplies.Add(new FlagReply { MarkId = flag.Id, Text = body, AuthorId = user.Id, At = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await audit.WriteAsync(AuditActions.FlagReply, user.Id, true, eventId: eventId, patientId: evt.PatientId, ct: ct);
        bus.Publish(new TimelineChanged(evt.PatientId, eventId));
        return (await LatestAsync(db, [eventId], ct))[eventId];
    }

    /// <summary>The entry's open flag is dealt with: ward staff, admins and reviewers who see the patient. Audited; published live.</summary>
    public async Task<ReviewState> ResolveAsync(CurrentUser user, Guid eventId, CancellationToken ct = default)
    {
        var evt = await FindVisibleAsync(user, eventId, ct);
        if (!access.CanResolveFlag(user, evt.Patient!))
            throw new ForbiddenException("Only ward staff, reviewers and admins can resolve a flag.");
        var flag = await OpenFlagAsync(eventId, ct);

        db.FlagReplies.Add(new FlagReply { MarkId = flag.Id, Resolves = true, AuthorId = user.Id, At = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await audit.WriteAsync(AuditActions.FlagResolve, user.Id, true, eventId: eventId, patientId: evt.PatientId, ct: ct);
        bus.Publish(new TimelineChanged(evt.PatientId, eventId));
        return (await LatestAsync(db, [eventId], ct))[eventId];
    }

    /// <summary>Every mark on an entry the user can see, newest first, each with its replies.</summary>
    public async Task<IReadOnlyList<ReviewState>> HistoryAsync(CurrentUser user, Guid eventId, CancellationToken ct = default)
    {
        await FindVisibleAsync(user, eventId, ct);
        var marks = await ReadAsync(db, db.ReviewMarks.Where(r => r.EventId == eventId), ct);
        return marks.Select(m => m.State).OrderByDescending(m => m.At).ToList();
    }

    /// <summary>The newest mark of each of the given entries (entries without a mark are absent).</summary>
    public static async Task<Dictionary<Guid, ReviewState>> LatestAsync(MediaFilesDbContext db, IReadOnlyCollection<Guid> eventIds, CancellationToken ct)
    {
        if (eventIds.Count == 0) return [];
        var marks = await ReadAsync(db, db.ReviewMarks.Where(r => eventIds.Contains(r.EventId)), ct);
        return marks.GroupBy(m => m.EventId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.State.At).First().State);
    }

    private static async Task<List<(Guid EventId, ReviewState State)>> ReadAsync(MediaFilesDbContext db, IQueryable<ReviewMark> query, CancellationToken ct)
    {
        var marks = await query.AsNoTracking()
            .Select(r => new { r.Id, r.EventId, r.Kind, r.Note, Reviewer = r.Reviewer!.DisplayName, r.At })
            .ToListAsync(ct);
        var flagIds = marks.Where(m => m.Kind == ReviewKind.Flagged).Select(m => m.Id).ToList();
        var replies = flagIds.Count == 0 ? [] : await db.FlagReplies.AsNoTracking().Where(x => flagIds.Contains(x.MarkId))
            .Select(x => new { x.MarkId, x.Resolves, State = new FlagReplyState(x.Text, x.Author!.DisplayName, x.At) })
            .ToListAsync(ct);
        var byMark = replies.ToLookup(x => x.MarkId);
        return marks.Select(m =>
        {
            var resolution = byMark[m.Id].FirstOrDefault(x => x.Resolves)?.State;
            return (m.EventId, new ReviewState(m.Kind, m.Note, m.Reviewer, m.At)
            {
                Replies = byMark[m.Id].Where(x => !x.Resolves).Select(x => x.State).OrderBy(x => x.At).ToList(),
                ResolvedByName = resolution?.AuthorName,
                ResolvedAt = resolution?.At,
            });
        }).ToList();
    }

    private async Task<Event> FindVisibleAsync(CurrentUser user, Guid eventId, CancellationToken ct)
    {
        var evt = await db.Events.AsNoTracking().Include(e => e.Patient).ThenInclude(p => p!.Ward)
            .FirstOrDefaultAsync(e => e.Id == eventId, ct);
        if (evt is null || !access.CanView(user, evt.Patient!))
            throw new NotFoundException("No such entry.");
        return evt;
    }

    /// <summary>The entry's newest mark, if it is a flag nobody resolved yet.</summary>
    private async Task<ReviewMark> OpenFlagAsync(Guid eventId, CancellationToken ct)
    {
        var marks = await db.ReviewMarks.AsNoTracking().Where(r => r.EventId == eventId).ToListAsync(ct);
        var newest = marks.OrderByDescending(r => r.At).FirstOrDefault();
        if (newest is null || newest.Kind != ReviewKind.Flagged)
            throw new ValidationException("This entry has no flag to answer.");
        if (await db.FlagReplies.AnyAsync(x => x.MarkId == newest.Id && x.Resolves, ct))
            throw new ValidationException("This flag is resolved already.");
        return newest;
    }
}
