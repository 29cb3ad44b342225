namespace MediaFiles.Core.Storage;

/// <summary>A temp file that deletes itself on dispose unless it has been placed.</summary>
public sealed class TempFile(string path) : IDisposable
{
    public string Path { get; } = path;
    internal bool Placed { get; set; }

    public FileStream OpenWrite() =>
        new(Path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, FileOptions.Asynchronous);

    public void Dispose()
    {
        if (!Placed) File.Delete(Path);
    }
}
