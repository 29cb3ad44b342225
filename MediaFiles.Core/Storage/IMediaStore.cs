namespace MediaFiles.Core.Storage;

/// <summary>
/// The file store. Paths are relative, with forward slashes, and never contain patient data.
/// A local folder today; the interface is what an object store would implement later.
/// </summary>
public interface IMediaStore
{
    /// <summary>
    /// A path for a new temp file inside the store (same volume, so placing it is an atomic rename);
    /// nothing is there until the caller writes it. <paramref name="extension"/> (".mp4") is for tools
    /// that go by the name. Disposing the <see cref="TempFile"/> deletes it unless it was placed.
    /// </summary>
    TempFile CreateTempFile(string extension = "");

    /// <summary>Moves a finished temp file to its final path, creating the folder; fails if something is already there.</summary>
    void Place(TempFile temp, string relativePath);

    /// <summary>
    /// Moves a finished temp file over the file at its final path, creating the folder: one atomic
    /// rename, so a reader gets the old file or the new one, never half of one. For derived files
    /// written again (a transcode, a regenerate); an original is never replaced.
    /// </summary>
    void Replace(TempFile temp, string relativePath);

    bool Exists(string relativePath);
    Stream OpenRead(string relativePath);
    /// <summary>The full local path, for APIs that need one (ffmpeg, PhysicalFile). Null when not local.</summary>
    string FullPath(string relativePath);
    void Delete(string relativePath);
    long Length(string relativePath);

    /// <summary>Every stored file (temp folder excluded), with its relative path and last write time.</summary>
    IEnumerable<StoredFile> EnumerateFiles();

    /// <summary>The temp files (uploads and transcodes in progress, or left by a crash); <see cref="Delete"/> takes their paths.</summary>
    IEnumerable<StoredFile> EnumerateTempFiles();
}

public sealed record StoredFile(string RelativePath, DateTime LastWriteUtc);
