namespace MediaFiles.Core.Domain;

/// <summary>A short clip on the timeline (event type 10): a gait, a tremor, a dressing change.</summary>
public sealed class VideoClip : Event, Photos.ISingleMediaEvent
{
    public const int CaptionMaxLength = 255;

    public VideoClip() => EventType = EventType.VideoClip;

    public string Caption { get; set; } = "";
    public Guid MediaFileId { get; set; }
    public MediaFile? MediaFile { get; set; }
}

/// <summary>Where a video blob is on its way to a browser-playable copy.</summary>
public enum PlayableState
{
    /// <summary>Not a video, or nothing to do.</summary>
    None = 0,
    /// <summary>The original plays in browsers as it is (H.264/AAC in MP4).</summary>
    Original = 1,
    Queued = 2,
    Running = 3,
    Ready = 4,
    Failed = 5,
}
