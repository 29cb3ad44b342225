using MediaFiles.Core.Domain;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Web.Components.Media;

public enum TimelineKind { All, Photos, Series, Clips }

public enum TimelineStatus { All, Flagged, NotReviewed }

/// <summary>
/// What the timeline shows of the loaded items (a kind, a review status) and where a date jump lands.
/// Client-side over the loaded items: a patient's timeline is loaded whole.
/// </summary>
public sealed class TimelineFilter
{
    public TimelineKind Kind { get; set; }
    public TimelineStatus Status { get; set; }

    public bool IsActive => Kind != TimelineKind.All || Status != TimelineStatus.All;

    public void Clear() => (Kind, Status) = (TimelineKind.All, TimelineStatus.All);

    public bool Matches(TimelineItem item) =>
        Kind switch
        {
            TimelineKind.Photos => item.Type == EventType.Photo,
            TimelineKind.Series => item.Type == EventType.PhotoSeries,
            TimelineKind.Clips => item.Type == EventType.VideoClip,
            _ => true,
        }
        && Status switch
        {
            TimelineStatus.Flagged => item.Review?.Kind == ReviewKind.Flagged,
            TimelineStatus.NotReviewed => item.Review is null,
            _ => true,
        };

    public IReadOnlyList<TimelineItem> Apply(IEnumerable<TimelineItem> items) => items.Where(Matches).ToList();

    /// <summary>
    /// The day to scroll to for <paramref name="wanted"/>: that day when it has items, else the nearest
    /// earlier day with items, else (nothing that early) the oldest day. Null when there are no days.
    /// </summary>
    public static DateOnly? DayToJumpTo(IEnumerable<DateOnly> days, DateOnly wanted)
    {
        var list = days.ToList();
        if (list.Count == 0) return null;
        var earlier = list.Where(d => d <= wanted).ToList();
        return earlier.Count > 0 ? earlier.Max() : list.Min();
    }

    /// <summary>The element id of a day's first card on the timeline.</summary>
    public static string DayAnchor(DateOnly day) => $"day-{day:yyyy-MM-dd}";
}
