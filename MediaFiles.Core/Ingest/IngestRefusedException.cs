namespace MediaFiles.Core.Ingest;

/// <summary>
/// The file was refused for a reason the uploader can act on. Message is shown to the user as is,
/// so it says what was wrong and what is allowed, and never carries a path or a stack trace.
/// </summary>
public sealed class IngestRefusedException(string code, string message) : Exception(message)
{
    /// <summary>Stable, machine-readable reason: too_large, type_not_accepted, type_mismatch, …</summary>
    public string Code { get; } = code;

    /// <summary>A file whose declared size is over the limit, refused before any byte is sent or read.</summary>
    public static IngestRefusedException TooLarge(long size, long max, string what = "a photo") =>
        new("too_large", $"The file is {SizeText.Of(size)}: at most {SizeText.Of(max)} is accepted for {what}.");

    /// <summary>The body turned out longer than the limit while streaming.</summary>
    public static IngestRefusedException TooLargeWhileStreaming(long max, string what = "a photo") =>
        new("too_large", $"The file is larger than {SizeText.Of(max)}, the most {what} may be.");
}
