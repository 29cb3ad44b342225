using MediaFiles.Core.Access;
using MediaFiles.Core.Domain;

namespace MediaFiles.Core.Photos;

/// <summary>The checks every media event's fields go through, in one place.</summary>
public static class EventRules
{
    /// <summary>Client clocks drift: an event time up to this far ahead of the server still counts as now.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    public static DateTime EventTime(DateTime value, DateTime now)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        if (utc > now + ClockSkew)
            throw new ValidationException("The event time is in the future: pick a time up to now.");
        if (utc.Year < 1900)
            throw new ValidationException("The event time is before 1900: pick the real date.");
        return utc;
    }

    /// <summary>
    /// When a new photo, series or clip happened, the same rule for the UI and the API: the time the
    /// user picked (refused when in the future); else the camera's capture time — the earliest of a
    /// series' photos — unless the camera's clock ran ahead of now; else the time the first file
    /// arrived. A page never fills in a time the user did not pick.
    /// </summary>
    public static DateTime ForNewEvent(DateTime? picked, IReadOnlyList<StagedUpload> uploads, DateTime now)
    {
        if (picked is { } chosen) return EventTime(chosen, now);
        var camera = uploads.Select(u => u.MediaFile?.CapturedAt)
            .Where(t => t is { } at && at <= now + ClockSkew && at.Year >= 1990)
            .Min();
        if (camera is { } taken) return DateTime.SpecifyKind(taken, DateTimeKind.Utc);
        return uploads.Count > 0 ? DateTime.SpecifyKind(uploads.Min(u => u.UploadedAt), DateTimeKind.Utc) : now;
    }

    public static string Text(string? value, string what, int max = Event.DescriptionMaxLength)
    {
        var text = (value ?? "").Trim();
        if (text.Length > max)
            throw new ValidationException($"The {what} has {text.Length} characters: at most {max} are allowed.");
        return text;
    }
}
