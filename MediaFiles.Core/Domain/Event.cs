namespace MediaFiles.Core.Domain;

public enum EventType
{
    Photo = 3,
    PhotoSeries = 9,
    VideoClip = 10,
}

/// <summary>
/// Something that happened to a patient, shown on the timeline. Times are UTC.
/// </summary>
public abstract class Event
{
    public const int DescriptionMaxLength = 255;

    public Guid Id { get; set; } = Guid.NewGuid();
    public EventType EventType { get; protected set; }
    public DateTime EventDateTime { get; set; }
    public string Description { get; set; } = "";
    public Guid PatientId { get; set; }
    public Patient? Patient { get; set; }
    public Guid CreatedById { get; set; }
    public AppUser? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid UpdatedById { get; set; }
    public AppUser? UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>When the event was deleted: it is hidden from every query (a global filter) until an admin restores it or the purge removes it.</summary>
    public DateTime? DeletedAt { get; set; }
    /// <summary>Who deleted it. A plain column, no foreign key: adding one would make SQLite rebuild the events table.</summary>
    public Guid? DeletedById { get; set; }
}

public sealed class Photo : Event, Photos.ISingleMediaEvent
{
    public Photo() => EventType = EventType.Photo;

    public Guid MediaFileId { get; set; }
    public MediaFile? MediaFile { get; set; }
}
