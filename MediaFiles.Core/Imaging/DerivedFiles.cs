using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Imaging;

/// <summary>
/// The one maker of the pictures derived from an original, for both ingest pipelines and the
/// variant regenerator: a photo's large, medium and thumbnail, and a video's poster (large) and
/// thumbnail from one early frame. Each is written to a temp file in the store, at the sizes
/// configured now (<c>MediaFiles:Images:{Large,Medium,Thumbnail}</c>); the caller places them (new
/// blob) or replaces the old ones (regenerate) and disposes the set.
/// </summary>
public sealed class DerivedFiles(IMediaStore store, Ffmpeg ffmpeg, IOptions<MediaFilesOptions> options)
{
    /// <summary>The size limits are for new uploads; a stored original accepted under older limits is still processed.</summary>
    public static readonly ImageOptions NoLimits = new() { MaxSide = int.MaxValue, MaxPixels = long.MaxValue };

    /// <summary>A photo's large, medium and thumbnail, from the original at <paramref name="source"/>.</summary>
    /// <exception cref="IngestRefusedException">The image cannot be decoded: it may be damaged.</exception>
    public async Task<DerivedFileSet> WriteImageVariantsAsync(string source, DetectedType type, ImageFacts facts, CancellationToken ct)
    {
        var set = CreateSet(BlobFiles.ImagePictures);
        try
        {
            await ImageVariantWriter.WriteAsync(source, type, facts, set.Targets(Spec), ct);
            return set;
        }
        catch (ImageMagick.MagickException)
        {
            set.Dispose();
            throw new IngestRefusedException("unreadable", $"The {type.Name} image could not be processed: it may be damaged.");
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A video's poster (large) and thumbnail: a frame from early in the clip — a quarter in, at most
    /// a second, so past a black first frame; the first frame when there is none there — made into
    /// the poster sizes.
    /// </summary>
    /// <param name="frameLimits">The image limits the frame must meet (an upload's); <see cref="NoLimits"/> for a stored original.</param>
    /// <exception cref="IngestRefusedException">No picture could be taken from the video.</exception>
    public async Task<DerivedFileSet> WritePosterAsync(string video, TimeSpan duration, ImageOptions frameLimits, CancellationToken ct)
    {
        var set = CreateSet(BlobFiles.VideoPictures);
        try
        {
            using var frame = store.CreateTempFile(".png");
            await ffmpeg.ExtractFrameAsync(video, frame.Path, TimeSpan.FromSeconds(Math.Min(1.0, Math.Max(0, duration.TotalSeconds) / 4)), ct);
            if (frame.Length == 0) await ffmpeg.ExtractFrameAsync(video, frame.Path, TimeSpan.Zero, ct);
            var png = FileTypeSniffer.Png;
            var facts = ImageInspector.Inspect(frame.Path, png, frameLimits);
            await ImageVariantWriter.WriteAsync(frame.Path, png, facts, set.Targets(Spec), ct);
            return set;
        }
        catch (Exception ex) when (ex is FfmpegFailedException or ImageMagick.MagickException or IngestRefusedException)
        {
            set.Dispose();
            throw new IngestRefusedException("unreadable", "No picture could be taken from the video: it may be damaged.");
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    private VariantSpec Spec(MediaVariant variant)
    {
        var sizes = options.Value.Images;
        return variant switch
        {
            MediaVariant.Large => sizes.Large,
            MediaVariant.Medium => sizes.Medium,
            MediaVariant.Thumbnail => sizes.Thumbnail,
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Not a derived picture."),
        };
    }

    private DerivedFileSet CreateSet(IReadOnlyList<MediaVariant> variants)
    {
        var files = new List<DerivedFile>(variants.Count);
        try
        {
            foreach (var variant in variants) files.Add(new DerivedFile(variant, store.CreateTempFile()));
        }
        catch
        {
            foreach (var file in files) file.Temp.Dispose();
            throw;
        }
        return new DerivedFileSet(files);
    }
}

/// <summary>One derived picture, written to a temp file of the store.</summary>
public sealed record DerivedFile(MediaVariant Variant, TempFile Temp);

/// <summary>Derived pictures waiting in temp files; disposing deletes those not placed.</summary>
public sealed class DerivedFileSet(IReadOnlyList<DerivedFile> files) : IDisposable
{
    public IReadOnlyList<DerivedFile> Files { get; } = files;

    internal IReadOnlyList<VariantTarget> Targets(Func<MediaVariant, VariantSpec> spec) =>
        Files.Select(f => new VariantTarget(spec(f.Variant), f.Temp.Path)).ToList();

    public void Dispose()
    {
        foreach (var file in Files) file.Temp.Dispose();
    }
}
