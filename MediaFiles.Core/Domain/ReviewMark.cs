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
/// entry's review state, the older ones say who looked before.
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
}
