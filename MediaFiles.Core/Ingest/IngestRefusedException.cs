namespace MediaFiles.Core.Ingest;

/// <summary>
/// The file was refused for a reason the uploader can act on. Message is shown to the user as is,
/// so it says what was wrong and what is allowed, and never carries a path or a stack trace.
/// </summary>
public sealed class IngestRefusedException(string code, string message) : Exception(message)
{
    /// <summary>Stable, machine-readable reason: too_large, type_not_accepted, type_mismatch, …</summary>
    public string Code { get; } = code;
}
