using MediaFiles.Core;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;

namespace MediaFiles.Web.Components.Media;

/// <summary>A file the browser offers: its key in upload.js, name, size and the browser's type.</summary>
public sealed record BrowserFile(string Key, string Name, long Size, string Type);

/// <summary>The server's 201 reply to one upload (POST /api/uploads), as upload.js hands it over.</summary>
public sealed record UploadReply(Guid UploadId, Guid MediaFileId, string Outcome, string Kind);

/// <summary>
/// The drop zone's list of files as plain state, without Blazor: which files go (the series' room and
/// the size limits, both the Core's), how each moves through the stages (the browser's bytes, the
/// server's stages, the reply, attaching to the timeline) and what the list sums up to. The
/// component only renders it and wires it to upload.js, the bus and the Core.
/// </summary>
public sealed class UploadQueue(MediaFilesOptions options)
{
    private readonly List<UploadItem> _items = [];
    private int _sequence;

    /// <summary>Files become one series (photos only) instead of separate timeline entries.</summary>
    public bool AsSeries { get; set; }

    /// <summary>Adding to an existing series: how many photos it holds already.</summary>
    public int ExistingSeriesCount { get; set; }

    /// <summary>As the list shows them: for a series in the series' order, otherwise newest first.</summary>
    public IReadOnlyList<UploadItem> Items => AsSeries ? _items.OrderBy(i => i.Sequence).ToList() : _items;

    public bool IsEmpty => _items.Count == 0;
    public bool AllFinished => _items.All(i => i.IsFinished);
    public bool AllSettled => _items.All(i => i.IsSettled);
    public bool AnyRefused => _items.Any(i => i.Stage is UploadStage.Refused or UploadStage.Failed);

    /// <summary>Staged files waiting for the series to be created, in the order they were picked.</summary>
    public IReadOnlyList<UploadItem> ReadyForSeries => _items.Where(i => i.IsStaged).OrderBy(i => i.Sequence).ToList();

    /// <summary>
    /// New files from the browser: the oversized (by the limit of the kind their name says; the bytes
    /// are checked on the server) and those past a series' room are refused at once; the rest are
    /// queued. Returns the keys to send.
    /// </summary>
    public IReadOnlyList<string> Add(IEnumerable<BrowserFile> files)
    {
        var room = AsSeries ? SeriesRoom : int.MaxValue;
        var accepted = new List<string>();
        foreach (var file in files)
        {
            var item = new UploadItem(file.Key, file.Name, file.Size, ++_sequence);
            var limit = AcceptedFiles.LimitForName(options, file.Name, AsSeries);
            if (file.Size > limit.MaxBytes)
                item.End(UploadStage.Refused, IngestRefusedException.TooLarge(file.Size, limit.MaxBytes, limit.What).Message);
            else if (accepted.Count >= room)
                item.End(UploadStage.Refused, SeriesFullMessage);
            else
                accepted.Add(file.Key);
            _items.Insert(0, item);
        }
        return accepted;
    }

    public UploadItem? Find(string key) => _items.FirstOrDefault(i => i.Key == key);

    /// <summary>
    /// Before the series is made: moves a file one place earlier (-1) or later (+1) among the files
    /// that will be in it (refused ones are skipped). Returns whether it moved.
    /// </summary>
    public bool Move(string key, int direction)
    {
        var order = SeriesCandidates;
        var at = order.FindIndex(i => i.Key == key);
        var to = at + Math.Sign(direction);
        if (at < 0 || to < 0 || to >= order.Count) return false;
        (order[at].Sequence, order[to].Sequence) = (order[to].Sequence, order[at].Sequence);
        return true;
    }

    /// <summary>The place of a file in the series to be, 1-based; null for one that will not be in it.</summary>
    public int? SeriesPosition(UploadItem item)
    {
        var at = SeriesCandidates.IndexOf(item);
        return at < 0 ? null : at + 1;
    }

    /// <summary>How many files the series to be holds now.</summary>
    public int SeriesCount => SeriesCandidates.Count;

    private List<UploadItem> SeriesCandidates =>
        _items.Where(i => i.Stage is not (UploadStage.Refused or UploadStage.Failed or UploadStage.Added)).OrderBy(i => i.Sequence).ToList();

    public void Sending(string key) => Find(key)?.Advance(UploadStage.Receiving);

    public void BytesSent(string key, long sent) => Find(key)?.BytesSent(sent);

    /// <summary>A stage from the server, while it works on the file.</summary>
    public bool Apply(UploadProgress progress)
    {
        if (Find(progress.FileKey) is not { } item) return false;
        item.Advance(progress.Stage, progress.Kind);
        return true;
    }

    /// <summary>The 201 reply: the file is staged. Returns the item when it goes to the timeline at once (not a series).</summary>
    public UploadItem? Staged(string key, UploadReply reply)
    {
        if (Find(key) is not { } item || item.IsFinished) return null;
        item.Staged(reply.UploadId, reply.MediaFileId, reply.Kind == "video" ? MediaKind.Video : MediaKind.Image, reply.Outcome == "duplicate");
        if (AsSeries) return null;
        item.Attaching();
        return item;
    }

    public void Refused(string key, string message) => Find(key)?.End(UploadStage.Refused, message);

    /// <summary>Any reply but 201: the server's sentence when it sent one (a problem's detail), else what to do.</summary>
    public UploadItem? NotStaged(string key, int status, string body)
    {
        if (status == 401) Failed(key, "Your sign-in has expired: reload the page and sign in again.");
        else Refused(key, ProblemDetail(body) ?? $"The server could not take the file (HTTP {status}). Try again.");
        return null;
    }

    private static string? ProblemDetail(string body)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Failed(string key, string message) => Find(key)?.End(UploadStage.Failed, message);

    public static void Added(UploadItem item, Guid? eventId) => item.Added(eventId);

    public static void AttachFailed(UploadItem item, string message) => item.End(UploadStage.Failed, message);

    /// <summary>The list without finished items; what is still on its way or staged stays.</summary>
    public void ClearFinished() => _items.RemoveAll(i => i.IsFinished);

    /// <summary>After a series was cancelled: its staged files were discarded on the server.</summary>
    public void Clear() => _items.Clear();

    /// <summary>How many more files the series can take, counting those on their way.</summary>
    public int SeriesRoom => Math.Max(0, options.MaxSeriesPhotos - ExistingSeriesCount
        - _items.Count(i => i.Stage is not (UploadStage.Refused or UploadStage.Failed)));

    public string SeriesFullMessage => ExistingSeriesCount == 0
        ? $"A series holds at most {options.MaxSeriesPhotos} photos: this file would be one too many."
        : $"A series holds at most {options.MaxSeriesPhotos} photos and this one is full.";

    /// <summary>"2 in progress · 1 ready · 3 added · 1 refused".</summary>
    public string Summary
    {
        get
        {
            var added = _items.Count(i => i.Stage == UploadStage.Added);
            var ready = _items.Count(i => i.IsStaged);
            var refused = _items.Count(i => i.Stage is UploadStage.Refused or UploadStage.Failed);
            var busy = _items.Count - added - refused - ready;
            var parts = new List<string>();
            if (busy > 0) parts.Add($"{busy} in progress");
            if (ready > 0) parts.Add($"{ready} ready");
            if (added > 0) parts.Add($"{added} added");
            if (refused > 0) parts.Add($"{refused} refused");
            return string.Join(" · ", parts);
        }
    }
}
