namespace MediaFiles.Core.Imaging;

/// <summary>What a ping of the image header tells, without decoding pixels.</summary>
/// <param name="StoredWidth">Width of the pixels as stored (before EXIF orientation).</param>
/// <param name="StoredHeight">Height of the pixels as stored.</param>
/// <param name="Orientation">EXIF orientation 1–8 (0 when absent).</param>
public sealed record ImageFacts(int StoredWidth, int StoredHeight, int Orientation)
{
    /// <summary>EXIF orientations 5–8 turn the image a quarter: width and height swap on screen.</summary>
    public bool IsQuarterTurned => Orientation is >= 5 and <= 8;
    public int UprightWidth => IsQuarterTurned ? StoredHeight : StoredWidth;
    public int UprightHeight => IsQuarterTurned ? StoredWidth : StoredHeight;
}
