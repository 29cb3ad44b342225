namespace MediaFiles.Core.Domain;

/// <summary>
/// An ordered set of photos on one timeline entry (event type 9): a wound over days, a procedure
/// step by step. Version is the optimistic-concurrency token every change to the series bumps.
/// </summary>
public sealed class PhotoSeries : Event
{
    public const int CaptionMaxLength = 255;

    public PhotoSeries() => EventType = EventType.PhotoSeries;

    public string Caption { get; set; } = "";
    public int Version { get; set; }
    public List<PhotoSeriesFile> Files { get; set; } = [];
}

/// <summary>One photo of a series, at a 1-based position unique within the series.</summary>
public sealed class PhotoSeriesFile
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid SeriesId { get; set; }
    public PhotoSeries? Series { get; set; }
    public Guid MediaFileId { get; set; }
    public MediaFile? MediaFile { get; set; }
    public int OrderIndex { get; set; }
    public string Caption { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
