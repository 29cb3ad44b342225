using ImageMagick;
using ImageMagick.Formats;
using MediaFiles.Core.Ingest;

namespace MediaFiles.Core.Imaging;

/// <summary>A variant to write: the box and quality, and where to write it.</summary>
public sealed record VariantTarget(VariantSpec Spec, string Path);

/// <summary>
/// Encodes the JPEG variants: the "derive" stage of an upload (docs/architecture.md, "The path of one
/// file"), called through <see cref="DerivedFiles"/> for photos, video posters and the regenerator.
/// The source is decoded once — for a JPEG at the smallest DCT scale that still covers the largest
/// variant — then oriented upright, converted to sRGB, stripped of every profile (EXIF with GPS and
/// its thumbnail, XMP, IPTC, ICC), and shrunk step by step, largest first. The variants are encoded
/// in parallel.
/// </summary>
public static class ImageVariantWriter
{
    public static async Task WriteAsync(string sourcePath, DetectedType type, ImageFacts facts, IReadOnlyList<VariantTarget> targets, CancellationToken ct)
    {
        if (targets.Count == 0) return;
        var ordered = targets.OrderByDescending(t => t.Spec.Size).ToList();

        using var image = Decode(sourcePath, type, facts, ordered[0].Spec.Size);
        // HEIF comes upright from libheif (irot/imir applied); its EXIF orientation would turn it twice.
        if (type.IsHeif) image.Orientation = Orientation.TopLeft;
        image.AutoOrient();
        ToSrgb(image);
        image.Strip();
        if (image.HasAlpha)
        {
            // JPEG has no alpha: put transparent pixels on white, as a viewer would show them.
            image.BackgroundColor = MagickColors.White;
            image.Alpha(AlphaAction.Remove);
        }
        image.Depth = 8;

        var encodes = new List<Task>(ordered.Count);
        IMagickImage<byte> current = image;
        foreach (var target in ordered)
        {
            ct.ThrowIfCancellationRequested();
            var size = (uint)target.Spec.Size;
            current.Resize(new MagickGeometry(size, size) { Greater = true });
            // Each encode works on its own copy: a Magick image is used from one thread at a time.
            var copy = current.Clone();
            encodes.Add(Task.Run(() => Encode(copy, target), ct));
        }
        await Task.WhenAll(encodes);
    }

    private static MagickImage Decode(string path, DetectedType type, ImageFacts facts, int largestBox)
    {
        var settings = new MagickReadSettings { Format = MagickFormats.For(type) };
        if (type.MimeType == "image/jpeg")
        {
            var hint = JpegScaleHint(facts.StoredWidth, facts.StoredHeight, largestBox);
            if (hint is { } size)
                settings.SetDefines(new JpegReadDefines { Size = size });
        }
        var image = new MagickImage();
        // libjpeg only warns when the data ends early (a truncated upload) and fills the rest with grey:
        // that is a damaged file, not a photo to keep.
        var incomplete = false;
        image.Warning += (_, e) => incomplete |= e.Message.Contains("premature end", StringComparison.OrdinalIgnoreCase);
        try
        {
            image.Read(path, settings);
        }
        catch (MagickException)
        {
            incomplete = true;
        }
        if (!incomplete) return image;
        image.Dispose();
        throw new IngestRefusedException("unreadable", $"The {type.Name} image could not be decoded: it may be damaged or incomplete.");
    }

    /// <summary>
    /// libjpeg decodes at M/8 scales (1/8 … 8/8) and rounds the requested size to the nearest one, not
    /// up: asking for the box itself could get a smaller scale and a variant enlarged from it. So ask
    /// for the exact size of the smallest M/8 that still covers the box. The box is square, so the EXIF
    /// quarter turn does not change the scale needed.
    /// </summary>
    internal static MagickGeometry? JpegScaleHint(int width, int height, int box)
    {
        var needed = Math.Min(1.0, (double)box / Math.Max(width, height));
        for (var m = 1; m <= 7; m++)
        {
            if (m / 8.0 >= needed)
                return new MagickGeometry((uint)Math.Ceiling(width * m / 8.0), (uint)Math.Ceiling(height * m / 8.0));
        }
        return null;
    }

    private static void ToSrgb(MagickImage image)
    {
        if (image.ColorSpace == ColorSpace.CMYK && image.GetColorProfile() is null)
            image.SetProfile(ColorProfiles.USWebCoatedSWOP);
        if (image.GetColorProfile() is not null || image.ColorSpace == ColorSpace.CMYK)
            image.TransformColorSpace(ColorProfiles.SRGB);
        else if (image.ColorSpace != ColorSpace.sRGB)
            image.ColorSpace = ColorSpace.sRGB;
    }

    private static void Encode(IMagickImage<byte> image, VariantTarget target)
    {
        using (image)
        {
            image.Format = MagickFormat.Jpeg;
            image.Quality = (uint)target.Spec.Quality;
            image.Write(target.Path);
        }
    }
}
