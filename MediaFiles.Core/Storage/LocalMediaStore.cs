using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Storage;

public sealed class LocalMediaStore : IMediaStore
{
    public const string TempFolder = ".tmp";
    private readonly string _root;

    public LocalMediaStore(IOptions<MediaFilesOptions> options, Microsoft.Extensions.Hosting.IHostEnvironment? env = null)
    {
        var root = options.Value.StorageRoot;
        _root = System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(root) || env is null
            ? root
            : System.IO.Path.Combine(env.ContentRootPath, root));
        Directory.CreateDirectory(System.IO.Path.Combine(_root, TempFolder));
    }

    public string Root => _root;

    /// <summary><c>&lt;root&gt;/.tmp/&lt;guid&gt;.part&lt;extension&gt;</c>: the sweeper removes any <c>*.part*</c> left there.</summary>
    public TempFile CreateTempFile(string extension = "")
    {
        if (extension.Length > 0 && (extension[0] != '.' || extension.Length > 8 || !extension.Skip(1).All(char.IsAsciiLetterOrDigit)))
            throw new ArgumentException("An extension is a dot and a few letters or digits.", nameof(extension));
        return new(System.IO.Path.Combine(_root, TempFolder, $"{Guid.NewGuid():N}.part{extension}"));
    }

    public void Place(TempFile temp, string relativePath) => MoveInto(temp, relativePath, overwrite: false);

    public void Replace(TempFile temp, string relativePath) => MoveInto(temp, relativePath, overwrite: true);

    /// <summary>rename(2) within one volume: atomic, and with <paramref name="overwrite"/> it replaces the old file in the same step.</summary>
    private void MoveInto(TempFile temp, string relativePath, bool overwrite)
    {
        var target = FullPath(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Move(temp.Path, target, overwrite);
        temp.Placed = true;
    }

    public bool Exists(string relativePath) => File.Exists(FullPath(relativePath));

    public Stream OpenRead(string relativePath) =>
        new FileStream(FullPath(relativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public long Length(string relativePath) => new FileInfo(FullPath(relativePath)).Length;

    public void Delete(string relativePath) => File.Delete(FullPath(relativePath));

    public IEnumerable<StoredFile> EnumerateTempFiles()
    {
        var dir = new DirectoryInfo(System.IO.Path.Combine(_root, TempFolder));
        if (!dir.Exists) yield break;
        foreach (var file in dir.EnumerateFiles("*.part*"))
            yield return new StoredFile($"{TempFolder}/{file.Name}", file.LastWriteTimeUtc);
    }

    public IEnumerable<StoredFile> EnumerateFiles()
    {
        foreach (var folder in new[] { MediaCategory.Photos, MediaCategory.PhotoSeries, MediaCategory.Videos }.Select(StoragePaths.CategoryFolder))
        {
            var dir = new DirectoryInfo(System.IO.Path.Combine(_root, folder));
            if (!dir.Exists) continue;
            foreach (var file in dir.EnumerateFiles("*", SearchOption.AllDirectories))
                yield return new StoredFile(System.IO.Path.GetRelativePath(_root, file.FullName).Replace('\\', '/'), file.LastWriteTimeUtc);
        }
    }

    public string FullPath(string relativePath)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(_root, relativePath));
        // Paths come from the database, never from a request; this guards against a bad row all the same.
        if (!full.StartsWith(_root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException("Path escapes the storage root.");
        return full;
    }
}
