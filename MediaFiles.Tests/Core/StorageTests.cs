using MediaFiles.Core;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.Extensions.Options;

namespace MediaFiles.Tests.Core;

/// <summary>The store owns a blob's files: which files a blob has (<see cref="BlobFiles"/>), and the store's temp files and atomic replace.</summary>
public sealed class StorageTests : IDisposable
{
    private const string Photo = "photos/2026/03/originals/0b7e6b2c-7a39-4c39-9d43-5f0a1c1e2a11.png";
    private const string Clip = "videos/2026/03/originals/6f1d1d0e-3c6a-4f0e-8e8e-2b8f3c1d9a22.mov";
    private const string ClipId = "6f1d1d0e-3c6a-4f0e-8e8e-2b8f3c1d9a22";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "mediafiles-store-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalMediaStore _store;

    public StorageTests() =>
        _store = new LocalMediaStore(Options.Create(new MediaFilesOptions { StorageRoot = _root }));

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    // ---------------------------------------------------------------- BlobFiles

    [Fact]
    public void A_photo_has_its_original_and_three_jpegs_and_serves_no_playable_copy()
    {
        var files = new BlobFiles(Photo, "image/png");
        string[] all =
        [
            Photo,
            "photos/2026/03/large/0b7e6b2c-7a39-4c39-9d43-5f0a1c1e2a11.jpg",
            "photos/2026/03/medium/0b7e6b2c-7a39-4c39-9d43-5f0a1c1e2a11.jpg",
            "photos/2026/03/thumbnails/0b7e6b2c-7a39-4c39-9d43-5f0a1c1e2a11.jpg",
        ];

        Assert.Equal(all, files.Owned);
        Assert.Equal(all, files.Required);
        Assert.Equal(Photo, files.Serving(MediaVariant.Original));
        Assert.Equal(all[1], files.Serving(MediaVariant.Large));
        Assert.Equal(all[2], files.Serving(MediaVariant.Medium));
        Assert.Equal(all[3], files.Serving(MediaVariant.Thumbnail));
        Assert.Null(files.Serving(MediaVariant.Playable));
        Assert.Equal([MediaVariant.Large, MediaVariant.Medium, MediaVariant.Thumbnail], files.DerivedVariants);
    }

    [Theory]
    [InlineData(PlayableState.Original, Clip, false)]
    [InlineData(PlayableState.Queued, null, false)]
    [InlineData(PlayableState.Running, null, false)]
    [InlineData(PlayableState.Failed, null, false)]
    [InlineData(PlayableState.Ready, $"videos/2026/03/playable/{ClipId}.mp4", true)]
    public void A_clip_owns_its_playable_copy_always_needs_it_only_when_ready_and_serves_it_by_state(
        PlayableState state, string? servesPlayable, bool playableRequired)
    {
        var files = new BlobFiles(Clip, "video/quicktime", state);
        var poster = $"videos/2026/03/large/{ClipId}.jpg";
        var thumbnail = $"videos/2026/03/thumbnails/{ClipId}.jpg";
        var playable = $"videos/2026/03/playable/{ClipId}.mp4";

        // Owned whatever the state: a purge removes a copy made after the row was read, an orphan scan never reports it.
        Assert.Equal([Clip, poster, thumbnail, playable], files.Owned);
        string[] required = playableRequired ? [Clip, poster, thumbnail, playable] : [Clip, poster, thumbnail];
        Assert.Equal(required, files.Required);
        Assert.Equal(servesPlayable, files.Serving(MediaVariant.Playable));
        Assert.Equal(Clip, files.Serving(MediaVariant.Original));
        Assert.Equal(poster, files.Serving(MediaVariant.Large));
        Assert.Equal(thumbnail, files.Serving(MediaVariant.Thumbnail));
        Assert.Null(files.Serving(MediaVariant.Medium)); // a clip has no medium picture
        Assert.Equal(playable, files.PlayablePath);
    }

    [Fact]
    public void BlobFiles_of_a_row_reads_its_path_type_and_state()
    {
        var media = new MediaFile { FilePath = Clip, MimeType = "video/webm", PlayableState = PlayableState.Ready, OriginalFilename = "clip.webm", Sha256 = "" };

        Assert.Equal(new BlobFiles(Clip, "video/webm", PlayableState.Ready), BlobFiles.Of(media));
    }

    // ---------------------------------------------------------------- temp files and replace

    private string Full(string relativePath) => Path.Combine(_root, relativePath);

    private IReadOnlyList<string> TempFolder() => Directory.GetFiles(Path.Combine(_root, LocalMediaStore.TempFolder));

    [Fact]
    public void A_temp_file_can_carry_an_extension_for_tools_that_go_by_the_name()
    {
        using var mp4 = _store.CreateTempFile(".mp4");
        using var plain = _store.CreateTempFile();

        Assert.EndsWith(".part.mp4", mp4.Path);
        Assert.EndsWith(".part", plain.Path);
        Assert.Equal(Path.Combine(_root, LocalMediaStore.TempFolder), Path.GetDirectoryName(mp4.Path));
        Assert.Throws<ArgumentException>(() => _store.CreateTempFile("/../x"));
        Assert.Throws<ArgumentException>(() => _store.CreateTempFile("mp4"));
    }

    [Fact]
    public async Task Replace_puts_the_new_file_over_the_old_one_creating_the_folder_and_leaves_no_temp()
    {
        const string target = "photos/2026/03/large/x.jpg";
        using (var first = _store.CreateTempFile())
        {
            await File.WriteAllTextAsync(first.Path, "first");
            _store.Replace(first, target); // no folder yet, nothing there yet
        }
        using (var second = _store.CreateTempFile())
        {
            await File.WriteAllTextAsync(second.Path, "second");
            _store.Replace(second, target);
        }

        Assert.Equal("second", await File.ReadAllTextAsync(Full(target)));
        Assert.Empty(TempFolder()); // moved, and disposing a placed temp file deletes nothing
        Assert.Equal([target], _store.EnumerateFiles().Select(f => f.RelativePath));
    }

    [Fact]
    public async Task Place_still_refuses_to_overwrite()
    {
        const string target = "photos/2026/03/originals/x.jpg";
        using (var first = _store.CreateTempFile())
        {
            await File.WriteAllTextAsync(first.Path, "original");
            _store.Place(first, target);
        }
        using var second = _store.CreateTempFile();
        await File.WriteAllTextAsync(second.Path, "another");

        Assert.Throws<IOException>(() => _store.Place(second, target));
        Assert.Equal("original", await File.ReadAllTextAsync(Full(target)));
    }

    [Fact]
    public async Task A_reader_during_replaces_gets_the_old_file_or_the_new_one_never_half()
    {
        const string target = "videos/2026/03/playable/x.mp4";
        var versions = Enumerable.Range(0, 2).Select(v => Enumerable.Repeat((byte)('a' + v), 512 * 1024).ToArray()).ToArray();
        using (var first = _store.CreateTempFile())
        {
            await File.WriteAllBytesAsync(first.Path, versions[0]);
            _store.Replace(first, target);
        }

        // A reader that opened the old file keeps reading it whole while it is replaced.
        await using (var open = _store.OpenRead(target))
        {
            using (var temp = _store.CreateTempFile(".mp4"))
            {
                await File.WriteAllBytesAsync(temp.Path, versions[1]);
                _store.Replace(temp, target);
            }
            var held = new MemoryStream();
            await open.CopyToAsync(held);
            Assert.Equal(versions[0], held.ToArray());
        }

        // Readers racing many replaces only ever see one whole version.
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var bytes = await File.ReadAllBytesAsync(Full(target));
                Assert.True(bytes.AsSpan().SequenceEqual(versions[0]) || bytes.AsSpan().SequenceEqual(versions[1]), $"a read of {bytes.Length} bytes was neither version");
                reads++;
            }
        });
        for (var i = 0; i < 40; i++)
        {
            using var temp = _store.CreateTempFile();
            await File.WriteAllBytesAsync(temp.Path, versions[i % 2]);
            _store.Replace(temp, target);
        }
        await stop.CancelAsync();
        await reader;

        Assert.True(reads > 0);
        Assert.Empty(TempFolder());
    }
}
