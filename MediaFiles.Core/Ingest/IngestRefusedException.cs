using System.Globalization;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// The file was refused for a reason the uploader can act on. Message is shown to the user as is,
/// so it says what was wrong and what is allowed, and never carries a path or a stack trace.
/// </summary>
public sealed class IngestRefusedException(string code, string message) : Access.RefusedException(message)
{
    /// <summary>Stable, machine-readable reason: too_large, type_not_accepted, type_mismatch, …</summary>
    public string Code { get; } = code;

    /// <summary>A file whose declared size is over the limit, refused before any byte is sent or read.</summary>
    public static IngestRefusedException TooLarge(long size, long max, string what = "a photo")
    {
        var (sizeText, maxText) = (SizeText.Of(size), SizeText.Of(max));
        // Rounded, a file just over the limit reads as "256 KB: at most 256 KB": then name the bytes.
        if (sizeText == maxText)
            (sizeText, maxText) = (string.Create(CultureInfo.InvariantCulture, $"{size:N0} bytes"), string.Create(CultureInfo.InvariantCulture, $"{max:N0} bytes"));
        return new("too_large", $"The file is {sizeText}: at most {maxText} is accepted for {what}.");
    }

    /// <summary>The body turned out longer than the limit while streaming.</summary>
    public static IngestRefusedException TooLargeWhileStreaming(long max, string what = "a photo") =>
        new("too_large", $"The file is larger than {SizeText.Of(max)}, the most {what} may be.");
}
