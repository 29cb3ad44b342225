using ImageMagick;
using MediaFiles.Core.Ingest;

namespace MediaFiles.Core.Imaging;

/// <summary>
/// The "inspect" stage of an upload (docs/architecture.md, "The path of one file"): reads the
/// dimensions and orientation from the header (a Magick ping) and enforces the size limits before
/// anything decodes the pixels.
/// </summary>
public static class ImageInspector
{
    public static ImageFacts Inspect(string path, DetectedType type, ImageOptions limits)
    {
        ImageFacts facts;
        try
        {
            // A ping reads the header and profiles, not the pixels.
            using var image = new MagickImage();
            image.Ping(path, new MagickReadSettings { Format = MagickFormats.For(type) });
            var exif = image.GetExifProfile();
            var taken = CameraTime.Parse(exif?.GetValue(ExifTag.DateTimeOriginal)?.Value, exif?.GetValue(ExifTag.OffsetTimeOriginal)?.Value);
            // HEIF: libheif applies the container's rotation (irot/imir) and reports the upright size; an
            // EXIF orientation in it is not to be applied again.
            var orientation = type.IsHeif ? 0 : (int)image.Orientation;
            facts = new ImageFacts((int)image.Width, (int)image.Height, orientation, taken);
        }
        catch (MagickException)
        {
            throw new IngestRefusedException("unreadable", $"The file starts like {TypeAgreement.Article(type.Name)} {type.Name} image but its header cannot be read: it may be damaged or incomplete.");
        }

        if (facts.StoredWidth <= 0 || facts.StoredHeight <= 0)
            throw new IngestRefusedException("unreadable", $"The {type.Name} image has no size: it may be damaged.");
        if (facts.StoredWidth > limits.MaxSide || facts.StoredHeight > limits.MaxSide)
            throw new IngestRefusedException("too_many_pixels",
                $"The image is {facts.StoredWidth} × {facts.StoredHeight} px: at most {limits.MaxSide} px a side is accepted.");
        if ((long)facts.StoredWidth * facts.StoredHeight > limits.MaxPixels)
            throw new IngestRefusedException("too_many_pixels",
                $"The image has {(long)facts.StoredWidth * facts.StoredHeight / 1_000_000.0:0.#} megapixels: at most {limits.MaxPixels / 1_000_000.0:0.#} are accepted.");
        return facts;
    }
}

internal static class MagickFormats
{
    /// <summary>The coder is always named explicitly so ImageMagick never guesses from content (no SVG/MVG/PS tricks).</summary>
    public static MagickFormat For(DetectedType type) => type.MimeType switch
    {
        "image/jpeg" => MagickFormat.Jpeg,
        "image/png" => MagickFormat.Png,
        "image/webp" => MagickFormat.WebP,
        // libheif inside Magick.NET: HEIC (HEVC) and AVIF (AV1) in the same HEIF container.
        "image/heic" => MagickFormat.Heic,
        "image/avif" => MagickFormat.Avif,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, "Not an accepted image type."),
    };
}
