namespace MediaFiles.Core.Imaging;

/// <summary>What a ping of the image header tells, without decoding pixels.</summary>
/// <param name="StoredWidth">Width of the pixels as stored (before EXIF orientation).</param>
/// <param name="StoredHeight">Height of the pixels as stored.</param>
/// <param name="Orientation">EXIF orientation 1–8 (0 when absent).</param>
/// <param name="TakenAt">When the camera says it took the photo (EXIF DateTimeOriginal), if it says.</param>
public sealed record ImageFacts(int StoredWidth, int StoredHeight, int Orientation, CameraTime? TakenAt = null)
{
    /// <summary>EXIF orientations 5–8 turn the image a quarter: width and height swap on screen.</summary>
    public bool IsQuarterTurned => Orientation is >= 5 and <= 8;
    public int UprightWidth => IsQuarterTurned ? StoredHeight : StoredWidth;
    public int UprightHeight => IsQuarterTurned ? StoredWidth : StoredHeight;
}

/// <summary>
/// EXIF capture time: the camera's local clock, and its UTC offset when the camera recorded one
/// (OffsetTimeOriginal, most phones since 2018). Without an offset the ward's time zone applies.
/// </summary>
public sealed record CameraTime(DateTime Local, TimeSpan? Offset)
{
    public static CameraTime? Parse(string? dateTime, string? offset)
    {
        if (string.IsNullOrWhiteSpace(dateTime)
            || !DateTime.TryParseExact(dateTime.Trim().TrimEnd('\0'), "yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var local)
            || local.Year < 1990)
            return null;
        TimeSpan? parsedOffset = null;
        var o = offset?.Trim().TrimEnd('\0');
        if (!string.IsNullOrEmpty(o) && TimeSpan.TryParseExact(o.TrimStart('+', '-'), @"hh\:mm", System.Globalization.CultureInfo.InvariantCulture, out var span))
            parsedOffset = o.StartsWith('-') ? -span : span;
        return new CameraTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), parsedOffset);
    }
}
