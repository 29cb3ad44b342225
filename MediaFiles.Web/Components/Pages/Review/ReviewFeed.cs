using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Review;

namespace MediaFiles.Web.Components.Pages.Review;

/// <summary>A placeholder for an upload under way for a visible patient, until its entry is on the timeline.</summary>
public sealed record ArrivingCard(string Key, Guid PatientId, string PatientName, UploadStage Stage, bool IsVideo, DateTime Since);

/// <summary>
/// The state of the live review page, without Blazor: the reviewer's patients, the filters, the
/// entries newest first (and which arrived live), the placeholder cards of uploads under way, how
/// each bus message changes them, and moving through the photo viewer. The page reads the Core and
/// renders; this class decides.
/// </summary>
public sealed class ReviewFeed
{
    /// <summary>A placeholder with no news for this long is dropped (its upload was abandoned).</summary>
    public static readonly TimeSpan ArrivingTimeout = TimeSpan.FromMinutes(2);

    private readonly Dictionary<Guid, ReviewPatient> _visible;
    private readonly Dictionary<string, ArrivingCard> _arriving = [];
    private readonly HashSet<Guid> _fresh = [];
    private List<ReviewFeedItem>? _items;

    public ReviewFeed(IReadOnlyList<ReviewPatient> patients)
    {
        Patients = patients;
        _visible = patients.ToDictionary(p => p.Id);
    }

    /// <summary>Every patient the reviewer may see (their wards').</summary>
    public IReadOnlyList<ReviewPatient> Patients { get; }

    public IEnumerable<(Guid Id, string Name)> Wards => Patients.Select(p => (p.WardId, p.WardName)).Distinct();

    /// <summary>The patients the patient filter offers: those of the chosen ward.</summary>
    public IEnumerable<ReviewPatient> PatientChoices => Patients.Where(p => WardId is null || p.WardId == WardId);

    public Guid? WardId { get; private set; }
    public Guid? PatientId { get; private set; }
    public EventType? Type { get; private set; }
    public bool NotReviewedOnly { get; private set; }
    /// <summary>Only entries whose newest mark is a flag nobody resolved yet.</summary>
    public bool OpenFlagsOnly { get; private set; }

    public ReviewFilter Filter => new(WardId, PatientId, Type, NotReviewedOnly, OpenFlagsOnly);

    /// <summary>Null until the first <see cref="Load"/>.</summary>
    public IReadOnlyList<ReviewFeedItem>? Items => _items;

    public int Unreviewed => _items?.Count(i => i.Item.Review is null) ?? 0;

    /// <summary>Uploads under way, newest first.</summary>
    public IReadOnlyList<ArrivingCard> Arriving => _arriving.Values.OrderByDescending(a => a.Since).ToList();

    public bool IsEmpty => _items is { Count: 0 } && _arriving.Count == 0;

    /// <summary>The entry came in live since the last load (its card is highlighted until marked).</summary>
    public bool IsNew(Guid eventId) => _fresh.Contains(eventId);

    /// <summary>The entries the photo viewer shows: photos and series (a clip plays in its own dialog).</summary>
    public IReadOnlyList<ReviewFeedItem> Viewable => (_items ?? []).Where(i => i.Item.Type != EventType.VideoClip).ToList();

    // The filters: the page loads again with the new Filter after each.
    public void SetWard(Guid? wardId)
    {
        WardId = wardId;
        if (PatientId is { } p && wardId is not null && _visible.TryGetValue(p, out var patient) && patient.WardId != wardId) PatientId = null;
    }

    public void SetPatient(Guid? patientId) => PatientId = patientId;
    public void SetType(EventType? type) => Type = type;
    public void SetNotReviewedOnly(bool value) => NotReviewedOnly = value;
    public void SetOpenFlagsOnly(bool value) => OpenFlagsOnly = value;

    /// <summary>The entries the Core returned for <see cref="Filter"/>: none of them is new.</summary>
    public void Load(IEnumerable<ReviewFeedItem> items)
    {
        _items = items.OrderByDescending(i => i.Item.CreatedAt).ToList();
        _fresh.Clear();
    }

    /// <summary>The reviewer may see this patient at all (whatever the filters): worth reading a change of theirs.</summary>
    public bool Sees(Guid patientId) => _visible.ContainsKey(patientId);

    /// <summary>An entry of this patient and type belongs in the feed under the current filters (a null type: not known yet).</summary>
    public bool Shows(Guid patientId, EventType? type) =>
        _visible.TryGetValue(patientId, out var patient)
        && (WardId is null || patient.WardId == WardId)
        && (PatientId is null || patientId == PatientId)
        && (Type is null || type is null || type == Type);

    /// <summary>
    /// An entry on a visible patient's timeline changed: <paramref name="entry"/> is it as read now
    /// (null when it was deleted). A new one goes on top, marked new, and takes the place of the
    /// patient's saved placeholders; a changed one is replaced (a flag resolved meanwhile stays, showing
    /// who resolved it); a deleted or filtered-out one goes.
    /// </summary>
    public void Apply(TimelineChanged change, ReviewFeedItem? entry)
    {
        foreach (var card in _arriving.Values.Where(a => a.PatientId == change.PatientId && a.Stage is UploadStage.Saved or UploadStage.Duplicate).ToList())
            _arriving.Remove(card.Key);
        if (_items is null) return;
        var index = _items.FindIndex(i => i.Item.EventId == change.EventId);
        if (entry is null || !Shows(entry.Item.PatientId, entry.Item.Type))
        {
            if (index >= 0) _items.RemoveAt(index);
        }
        else if (index >= 0)
        {
            _items[index] = entry;
        }
        else if ((!NotReviewedOnly || entry.Item.Review is null) && (!OpenFlagsOnly || entry.Item.Review is { IsOpenFlag: true }))
        {
            _items.Add(entry);
            _items = _items.OrderByDescending(i => i.Item.CreatedAt).ToList();
            _fresh.Add(entry.Item.EventId);
        }
    }

    /// <summary>A clip's playable copy moved on: its card shows the percent, then plays. False when no card shows it.</summary>
    public bool Apply(MediaProcessingChanged change)
    {
        if (_items is null || !_items.Any(i => i.Item.MediaFileId == change.MediaFileId)) return false;
        _items = _items.Select(i => i.Item.MediaFileId == change.MediaFileId
            ? i with { Item = i.Item with { PlayableState = change.State, PlayableProgress = change.Progress, PlayableError = change.Error } }
            : i).ToList();
        return true;
    }

    /// <summary>An upload's stage for a patient: a placeholder until the entry exists; a refusal takes it away. False when the filters hide it.</summary>
    public bool Apply(IngestActivity activity, DateTime now)
    {
        // A photo upload may become a photo or join a series: only "clips" rules it out before it is saved.
        var type = activity.IsVideo ? EventType.VideoClip : (EventType?)null;
        if (!Shows(activity.PatientId, type) || (!activity.IsVideo && Type == EventType.VideoClip)) return false;
        foreach (var stale in _arriving.Values.Where(a => now - a.Since > ArrivingTimeout).ToList())
            _arriving.Remove(stale.Key);
        var key = $"{activity.BatchId}/{activity.FileKey}";
        if (activity.Stage == UploadStage.Refused)
            _arriving.Remove(key);
        else
            _arriving[key] = new ArrivingCard(key, activity.PatientId, PatientName(activity.PatientId), activity.Stage, activity.IsVideo,
                _arriving.TryGetValue(key, out var was) ? was.Since : now);
        return true;
    }

    /// <summary>This reviewer marked the entry: it shows the mark and is no longer new.</summary>
    public void SetReview(Guid eventId, ReviewState state)
    {
        var index = _items?.FindIndex(i => i.Item.EventId == eventId) ?? -1;
        if (index >= 0) _items![index] = _items[index] with { Item = _items[index].Item with { Review = state } };
        _fresh.Remove(eventId);
    }

    public ReviewFeedItem? Find(Guid eventId) => _items?.FirstOrDefault(i => i.Item.EventId == eventId);

    /// <summary>Where the entry is in <see cref="Viewable"/>, or -1 (a clip, or gone).</summary>
    public int ViewerIndexOf(Guid eventId) => Viewable.ToList().FindIndex(i => i.Item.EventId == eventId);

    /// <summary>The next entry in the viewer after <paramref name="index"/> not yet reviewed, wrapping round; null when none is left.</summary>
    public int? NextUnreviewed(int index)
    {
        var viewable = Viewable;
        for (var step = 1; step <= viewable.Count; step++)
        {
            var i = ((index + step) % viewable.Count + viewable.Count) % viewable.Count;
            if (viewable[i].Item.Review is null) return i;
        }
        return null;
    }

    public string PatientName(Guid id) => _visible.TryGetValue(id, out var p) ? p.Name : "a patient";
}
