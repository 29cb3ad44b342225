namespace MediaFiles.Core.Domain;

public enum ReviewKind
{
    /// <summary>A reviewer has looked at the media.</summary>
    Reviewed = 1,
    /// <summary>A reviewer wants someone to look again (the note says why).</summary>
    Flagged = 2,
}

/// <summary>
/// A reviewer's mark on a timeline entry. Marks are kept as a history: the newest one is the
/// entry's review state, the older ones say who looked before. A flag gathers the ward's
/// <see cref="Replies"/> and is resolved once (who, when); a later mark starts afresh.
/// </summary>
public sealed class ReviewMark
{
    public const int NoteMaxLength = 280;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid EventId { get; set; }
    public Event? Event { get; set; }
    public ReviewKind Kind { get; set; }
    public string Note { get; set; } = "";
    public Guid ReviewerId { get; set; }
    public AppUser? Reviewer { get; set; }
    public DateTime At { get; set; }

    /// <summary>Who resolved the flag (ward staff, an admin or a reviewer); null while it is open. Only flags are resolved.</summary>
    public Guid? ResolvedById { get; set; }
    public AppUser? ResolvedBy { get; set; }
    public DateTime? ResolvedAt { get; set; }

    public List<FlagReply> Replies { get; set; } = [];
}

/// <summary>The ward's answer to a flag ("Re-photographed at 14:10 in daylight"), oldest first under the flag.</summary>
public sealed class FlagReply
{
    public const int TextMaxLength = 500;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid MarkId { get; set; }
    public ReviewMark? Mark { get; set; }
    public string Text { get; set; } = "";
    public Guid AuthorId { get; set; }
    public AppUser? Author { get; set; }
    public DateTime At { get; set; }
}
