using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;

namespace MediaFiles.Web.Components.Media;

/// <summary>One file of the drop zone, from "waiting" to "added" (or refused with its reason).</summary>
public sealed class UploadItem(string key, string fileName, long size, int sequence)
{
    public string Key { get; } = key;
    public string FileName { get; } = fileName;
    public long Size { get; } = size;
    /// <summary>Order the files were picked in, or put in before a series is made (the series keeps it).</summary>
    public int Sequence { get; internal set; } = sequence;

    public UploadStage Stage { get; private set; } = UploadStage.Waiting;
    public long Sent { get; private set; }
    public string? Message { get; private set; }

    /// <summary>What the server found the bytes to be, once it has them.</summary>
    public MediaKind? Kind { get; private set; }
    public Guid? UploadId { get; private set; }
    public Guid? MediaFileId { get; private set; }
    public bool WasDuplicate { get; private set; }
    public Guid? EventId { get; private set; }

    public bool IsFinished => Stage is UploadStage.Added or UploadStage.Refused or UploadStage.Failed;
    /// <summary>Uploaded and staged on the server, not yet on the timeline.</summary>
    public bool IsStaged => Stage is UploadStage.Saved or UploadStage.Duplicate;
    /// <summary>Nothing more happens to it without the user: finished, or staged and waiting for the series.</summary>
    public bool IsSettled => IsFinished || IsStaged;
    public bool IsVideo => Kind == MediaKind.Video;
    public double Percent => Size == 0 ? 0 : Math.Min(100, 100.0 * Sent / Size);

    /// <summary>Forward only: the browser's progress and the server's stages race, and a late one must not move an item back.</summary>
    internal void Advance(UploadStage stage, MediaKind? kind = null)
    {
        if (IsSettled) return;
        Kind = kind ?? Kind;
        if (stage > Stage && stage < UploadStage.Saved) Stage = stage;
    }

    internal void BytesSent(long sent)
    {
        Sent = Math.Max(Sent, sent);
        Advance(UploadStage.Receiving);
    }

    internal void Staged(Guid uploadId, Guid mediaFileId, MediaKind kind, bool duplicate)
    {
        if (IsFinished) return;
        Sent = Size;
        UploadId = uploadId;
        MediaFileId = mediaFileId;
        Kind = kind;
        WasDuplicate = duplicate;
        Stage = duplicate ? UploadStage.Duplicate : UploadStage.Saved;
    }

    internal void Attaching()
    {
        if (IsStaged) Stage = UploadStage.Attaching;
    }

    internal void Added(Guid? eventId)
    {
        EventId = eventId;
        Stage = UploadStage.Added;
        Message = null;
    }

    /// <summary>Refused (the server said no, with its reason) or failed (the network or the attach step).</summary>
    internal void End(UploadStage stage, string? message)
    {
        if (IsFinished) return;
        Stage = stage;
        Message = message;
    }

    /// <summary>The row's state as the page and its tests name it.</summary>
    public string DataState => Stage switch
    {
        UploadStage.Receiving => "uploading",
        UploadStage.Saved or UploadStage.Duplicate => "ready",
        _ => Stage.ToString().ToLowerInvariant(),
    };

    public string StateText => Stage switch
    {
        UploadStage.Waiting => "Waiting",
        UploadStage.Receiving => $"Uploading {Percent:0} %",
        UploadStage.Checking => "Checking",
        UploadStage.Variants => IsVideo ? "Making the poster" : "Making sizes",
        UploadStage.Attaching => "Adding to the timeline",
        UploadStage.Saved => "Ready",
        UploadStage.Duplicate => "Ready · already stored",
        UploadStage.Added => WasDuplicate ? "Added · already stored, no second copy kept" : "Added",
        UploadStage.Refused => "Refused",
        UploadStage.Failed => "Failed",
        _ => "",
    };
}
