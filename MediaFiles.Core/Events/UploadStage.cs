namespace MediaFiles.Core.Events;

/// <summary>
/// Where one upload is, in the words the uploader sees: the one vocabulary from the ingest pipeline
/// through the bus to the progress row. The browser owns Waiting (queued) and the byte count while
/// Receiving; the server reports Receiving, Checking and Variants as it works and ends in Saved,
/// Duplicate or Refused; attaching to the timeline adds Attaching, then Added (or Failed).
/// </summary>
public enum UploadStage
{
    /// <summary>Picked, waiting for its turn to be sent.</summary>
    Waiting,
    /// <summary>The bytes are arriving and being hashed.</summary>
    Receiving,
    /// <summary>Type, size and content checks.</summary>
    Checking,
    /// <summary>Making the display sizes of a photo, or the poster of a clip.</summary>
    Variants,
    /// <summary>Stored and staged: new bytes.</summary>
    Saved,
    /// <summary>Stored and staged: the same bytes were already kept, no second copy was made.</summary>
    Duplicate,
    /// <summary>Being added to the timeline.</summary>
    Attaching,
    /// <summary>On the timeline.</summary>
    Added,
    /// <summary>The server refused the file; the message says why.</summary>
    Refused,
    /// <summary>The network or the step that adds it to the timeline failed; the message says why.</summary>
    Failed,
}
