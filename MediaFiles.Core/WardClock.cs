using Microsoft.Extensions.Options;

namespace MediaFiles.Core;

/// <summary>
/// Event times are stored in UTC and shown, and entered, in the ward's time zone
/// (MediaFiles:TimeZone), which is the same for everyone on the ward whatever their device says.
/// </summary>
public sealed class WardClock(IOptions<MediaFilesOptions> options, TimeProvider clock)
{
    private readonly TimeZoneInfo _zone = ZoneOf(options.Value);

    /// <summary>The ward's zone: MediaFiles:TimeZone, or the server's when that is empty.</summary>
    public static TimeZoneInfo ZoneOf(MediaFilesOptions options) =>
        string.IsNullOrWhiteSpace(options.TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);

    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;

    public DateTime Now => ToLocal(UtcNow);

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);

    public DateTime ToUtc(DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone);

    /// <summary>A camera's capture time in UTC: by its own offset when it recorded one, else in the ward's zone.</summary>
    public DateTime ToUtc(Imaging.CameraTime taken) =>
        taken.Offset is { } offset ? DateTime.SpecifyKind(taken.Local - offset, DateTimeKind.Utc) : ToUtc(taken.Local);

    public string Format(DateTime utc) => ToLocal(utc).ToString("d MMM yyyy, HH:mm");

    /// <summary>"Today", "Yesterday" or the date, for timeline day headers.</summary>
    public string DayLabel(DateTime utc)
    {
        var day = ToLocal(utc).Date;
        var today = Now.Date;
        return day == today ? "Today" : day == today.AddDays(-1) ? "Yesterday" : day.ToString("dddd d MMMM yyyy");
    }
}
