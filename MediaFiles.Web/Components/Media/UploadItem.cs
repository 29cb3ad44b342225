using MediaFiles.Core.Events;

namespace MediaFiles.Web.Components.Media;

public enum UploadState
{
    Waiting,
    Uploading,
    Checking,
    Variants,
    Attaching,
    /// <summary>Uploaded and staged, waiting for the series to be created.</summary>
    Ready,
    Added,
    Refused,
    Failed,
}

/// <summary>One file of the drop zone, from "waiting" to "added" (or refused with its reason).</summary>
public sealed class UploadItem(string key, string fileName, long size, int sequence = 0, bool isVideo = false)
{
    public bool IsVideo { get; } = isVideo;
    /// <summary>Order the files were dropped in (a series keeps it).</summary>
    public int Sequence { get; } = sequence;
    public Guid? UploadId { get; set; }
    /// <summary>When the camera took it (UTC), if the file says.</summary>
    public DateTime? TakenAt { get; set; }
    public string Key { get; } = key;
    public string FileName { get; } = fileName;
    public long Size { get; } = size;
    public long Sent { get; set; }
    public UploadState State { get; set; } = UploadState.Waiting;
    public string? Message { get; set; }
    public bool WasDuplicate { get; set; }
    public Guid? MediaFileId { get; set; }
    public Guid? EventId { get; set; }

    public bool IsFinished => State is UploadState.Added or UploadState.Refused or UploadState.Failed;
    /// <summary>Nothing more happens to it without the user: finished, or staged and waiting.</summary>
    public bool IsSettled => IsFinished || State == UploadState.Ready;
    public double Percent => Size == 0 ? 0 : Math.Min(100, 100.0 * Sent / Size);

    /// <summary>A server stage moves the item forward, never back (bus messages and HTTP replies race).</summary>
    public void Advance(UploadState state)
    {
        if (!IsSettled && state > State) State = state;
    }

    public static UploadState FromStage(UploadStage stage) => stage switch
    {
        UploadStage.Receiving => UploadState.Uploading,
        UploadStage.Checking => UploadState.Checking,
        UploadStage.Variants => UploadState.Variants,
        UploadStage.Saved or UploadStage.Duplicate => UploadState.Attaching,
        UploadStage.Refused => UploadState.Refused,
        _ => UploadState.Uploading,
    };

    public string StateText => State switch
    {
        UploadState.Waiting => "Waiting",
        UploadState.Uploading => $"Uploading · hashing {Percent:0}%",
        UploadState.Checking => IsVideo ? "Checking the video" : "Checking the image",
        UploadState.Variants => IsVideo ? "Making the poster" : "Making sizes",
        UploadState.Attaching => "Adding to the timeline",
        UploadState.Ready => WasDuplicate ? "Ready · already stored" : "Ready",
        UploadState.Added => WasDuplicate ? "Added · already stored, no second copy kept" : "Added",
        UploadState.Refused => "Refused",
        UploadState.Failed => "Failed",
        _ => "",
    };
}
