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
/// <see cref="Replies"/>; the one reply that <see cref="FlagReply.Resolves"/> it says who resolved it when.
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

    public List<FlagReply> Replies { get; set; } = [];
}

/// <summary>
/// The ward's answer to a flag ("Re-photographed at 14:10 in daylight"), oldest first under the flag.
/// A flag is resolved by one row with <see cref="Resolves"/> set (its author and time: who resolved it, when).
/// </summary>
public sealed class FlagReply
{
    public const int TextMaxLength = 500;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid MarkId { get; set; }
    public ReviewMark? Mark { get; set; }
    public string Text { get; set; } = "";
    /// <summary>This row resolves the flag (at most one per flag; its text may be empty).</summary>
    public bool Resolves { get; set; }
    public Guid AuthorId { get; set; }
    public AppUser? Author { get; set; }
    public DateTime At { get; set; }
}
