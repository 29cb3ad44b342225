namespace MediaFiles.Core.Storage;

/// <summary>
/// The file store. Paths are relative, with forward slashes, and never contain patient data.
/// A local folder today; the interface is what an object store would implement later.
/// </summary>
public interface IMediaStore
{
    /// <summary>A new empty temp file inside the store (same volume, so placing it is an atomic rename).</summary>
    TempFile CreateTempFile();

    /// <summary>Moves a finished temp file to its final path; fails if something is already there.</summary>
    void Place(TempFile temp, string relativePath);

    bool Exists(string relativePath);
    Stream OpenRead(string relativePath);
    /// <summary>The full local path, for APIs that need one (ffmpeg, PhysicalFile). Null when not local.</summary>
    string FullPath(string relativePath);
    void Delete(string relativePath);
    long Length(string relativePath);

    /// <summary>Every stored file (temp folder excluded), with its relative path and last write time.</summary>
    IEnumerable<StoredFile> EnumerateFiles();
}

public sealed record StoredFile(string RelativePath, DateTime LastWriteUtc);
