namespace MediaFiles.Core.Storage;

/// <summary>A temp file that deletes itself on dispose unless it has been placed.</summary>
public sealed class TempFile(string path) : IDisposable
{
    public string Path { get; } = path;
    internal bool Placed { get; set; }

    /// <summary>How many bytes were written to it; 0 when nothing was.</summary>
    public long Length => File.Exists(Path) ? new FileInfo(Path).Length : 0;

    public FileStream OpenWrite() =>
        new(Path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, FileOptions.Asynchronous);

    public void Dispose()
    {
        if (!Placed) File.Delete(Path);
    }
}
