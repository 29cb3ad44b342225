using MediaFiles.Core.Video;

namespace MediaFiles.Core.Ingest;

/// <summary>The most bytes accepted for a kind of file, and how a refusal names that kind.</summary>
public sealed record SizeLimit(long MaxBytes, string What);

/// <summary>
/// What MediaFiles accepts, in one place: the types (by their magic bytes, see
/// <see cref="FileTypeSniffer"/>), the size limits per kind, the refusal of anything else with a
/// message that says what is allowed, and the same facts as the drop zone shows them.
/// </summary>
public static class AcceptedFiles
{
    public static readonly DetectedType[] Images = [FileTypeSniffer.Jpeg, FileTypeSniffer.Png, FileTypeSniffer.WebP, FileTypeSniffer.Heic, FileTypeSniffer.Avif];
    public static readonly DetectedType[] Videos = [FileTypeSniffer.Mp4, FileTypeSniffer.Mov, FileTypeSniffer.WebM];

    public const string NotReadable =
        "This is not a photo or a video clip MediaFiles can read: photos as " + FileTypeSniffer.AcceptedImagesText + ", clips as " + FileTypeSniffer.AcceptedVideosText + ".";

    public const string NotAnImage = "This is not an image MediaFiles can read: " + FileTypeSniffer.AcceptedImagesText + " are accepted.";

    public const string NotAVideo = "This is not a video MediaFiles can read: " + FileTypeSniffer.AcceptedVideosText + " are accepted.";

    public static SizeLimit LimitFor(MediaFilesOptions options, MediaKind kind) => kind == MediaKind.Video
        ? new(options.Videos.MaxBytes, "a video clip")
        : new(options.Images.MaxBytes, "a photo");

    /// <summary>The largest file that could be accepted here, before the bytes say what it is.</summary>
    public static SizeLimit LargestAccepted(MediaFilesOptions options, bool photosOnly)
    {
        if (photosOnly || options.Images.MaxBytes >= options.Videos.MaxBytes) return LimitFor(options, MediaKind.Image);
        return new(options.Videos.MaxBytes, $"a video clip, {Ingest.SizeText.Of(options.Images.MaxBytes)} for a photo");
    }

    /// <summary>
    /// The limit a file is held to before its bytes arrive, by its name: a name must agree with the
    /// bytes (<see cref="TypeAgreement"/>), so a .jpg can only ever be accepted as a photo.
    /// </summary>
    public static SizeLimit LimitForName(MediaFilesOptions options, string fileName, bool photosOnly)
    {
        var ext = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        if (Images.Any(t => t.Extensions.Contains(ext))) return LimitFor(options, MediaKind.Image);
        if (!photosOnly && Videos.Any(t => t.Extensions.Contains(ext))) return LimitFor(options, MediaKind.Video);
        return LargestAccepted(options, photosOnly);
    }

    /// <summary>The sniffed type, when it is accepted here; otherwise refused with what is.</summary>
    /// <param name="photosOnly">A series: clips are refused too.</param>
    /// <param name="fileName">Names what the sender meant, for the message when the bytes are nothing known.</param>
    public static DetectedType Require(DetectedType? type, bool photosOnly, string fileName)
    {
        var ext = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        var namedImage = photosOnly || Images.Any(t => t.Extensions.Contains(ext));
        var namedVideo = !namedImage && Videos.Any(t => t.Extensions.Contains(ext));
        if (type is null)
            throw new IngestRefusedException("type_not_accepted", namedImage ? NotAnImage : namedVideo ? NotAVideo : NotReadable);
        if (type.IsAcceptedImage)
            return type;
        if (type.IsAcceptedVideo)
            return photosOnly
                ? throw new IngestRefusedException("type_not_accepted", $"This is {TypeAgreement.Article(type.Name)} {type.Name} video, not a photo: a series holds photos only. Add the clip on its own, with “Separate photos”.")
                : type;
        // What to do instead: the type's own advice (GIF: save it as PNG or JPEG), else what is accepted.
        var instead = type.Advice ?? (photosOnly
            ? $"send a photo ({FileTypeSniffer.AcceptedImagesText})"
            : $"send a photo ({FileTypeSniffer.AcceptedImagesText}) or a clip ({FileTypeSniffer.AcceptedVideosText})");
        throw new IngestRefusedException("type_not_accepted", $"{type.Name} is not accepted: {instead}.");
    }

    /// <summary>The file picker's accept attribute: the accepted types' MIME types and extensions.</summary>
    public static string BrowserAccept(bool photosOnly) =>
        string.Join(",", (photosOnly ? Images : [.. Images, .. Videos])
            .SelectMany(t => new[] { t.MimeType }.Concat(t.Extensions.Select(e => "." + e)))
            .Distinct());

    /// <summary>The drop zone's line: what it takes and how big, from the limits configured now.</summary>
    public static string Describe(MediaFilesOptions options, bool photosOnly)
    {
        var photos = $"{FileTypeSniffer.AcceptedImagesText} photos up to {Ingest.SizeText.Of(options.Images.MaxBytes)}";
        if (photosOnly) return photos;
        var length = VideoInspector.Clock(TimeSpan.FromSeconds(options.Videos.MaxDurationSeconds));
        return $"{photos}, or {FileTypeSniffer.AcceptedVideosText} clips up to {length} and {Ingest.SizeText.Of(options.Videos.MaxBytes)}";
    }
}
