using System.Text;

namespace MediaFiles.Core.Ingest;

public enum MediaKind
{
    None,
    Image,
    Video,
}

/// <summary>A file type recognised by its first bytes.</summary>
public sealed record DetectedType(string Name, string MimeType, string Extension, string[] Extensions, MediaKind Kind)
{
    /// <summary>For a refused type: what to do instead ("save it as PNG or JPEG"); null says what is accepted.</summary>
    public string? Advice { get; init; }

    /// <summary>HEIF (HEIC, AVIF): the container's own rotation (irot/imir) is applied on decode and EXIF orientation is not.</summary>
    public bool IsHeif => MimeType is "image/heic" or "image/avif";

    public bool IsAcceptedImage => Kind == MediaKind.Image;
    public bool IsAcceptedVideo => Kind == MediaKind.Video;
}

/// <summary>
/// Stage 2: tells what a file is from its magic bytes, never from its name. Knows the accepted image
/// types and the common refused ones, so a refusal can name what it saw.
/// </summary>
public static class FileTypeSniffer
{
    public const int HeaderLength = 64;
    public const string AcceptedImagesText = "JPEG, PNG, WebP, HEIC or AVIF";
    public const string AcceptedVideosText = "MP4, MOV or WebM";

    public static readonly DetectedType Jpeg = new("JPEG", "image/jpeg", "jpg", ["jpg", "jpeg", "jpe", "jfif"], MediaKind.Image);
    public static readonly DetectedType Png = new("PNG", "image/png", "png", ["png"], MediaKind.Image);
    public static readonly DetectedType WebP = new("WebP", "image/webp", "webp", ["webp"], MediaKind.Image);
    /// <summary>HEIC/HEIF, as iPhones save photos: HEVC in an ISO "ftyp" container, decoded by libheif inside Magick.NET.</summary>
    public static readonly DetectedType Heic = new("HEIC", "image/heic", "heic", ["heic", "heif", "hif"], MediaKind.Image);
    public static readonly DetectedType Avif = new("AVIF", "image/avif", "avif", ["avif"], MediaKind.Image);
    public static readonly DetectedType Mp4 = new("MP4", "video/mp4", "mp4", ["mp4", "m4v"], MediaKind.Video);
    public static readonly DetectedType Mov = new("MOV", "video/quicktime", "mov", ["mov", "qt"], MediaKind.Video);
    public static readonly DetectedType WebM = new("WebM", "video/webm", "webm", ["webm"], MediaKind.Video);

    public static DetectedType? Sniff(ReadOnlySpan<byte> h)
    {
        if (h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (h.Length >= 12 && h[..4].SequenceEqual("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8)) return WebP;
        if (SniffHeif(h) is { } heif) return heif;
        if (SniffVideo(h) is { } video) return video;
        return SniffRefused(h);
    }

    /// <summary>
    /// HEIF still images, by the "ftyp" box's major brand: heic, heix, heim, heis, hevc or hevx is
    /// HEIC; avif or avis is AVIF. The generic mif1/msf1/miaf are shared by both, so then the
    /// compatible brands decide (avif/avis: AVIF; otherwise HEIC, left to the decoder). A video's
    /// major brand (isom, mp42, qt…) never makes it HEIF, whatever it lists as compatible.
    /// </summary>
    private static DetectedType? SniffHeif(ReadOnlySpan<byte> h)
    {
        var brands = FtypBrands(h);
        if (brands.Count == 0) return null;
        return brands[0] switch
        {
            "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" => Heic,
            "avif" or "avis" => Avif,
            "mif1" or "msf1" or "miaf" => brands.Contains("avif") || brands.Contains("avis") ? Avif : Heic,
            _ => null,
        };
    }

    /// <summary>The major brand first, then the compatible ones that fit in the header; empty when there is no "ftyp".</summary>
    private static List<string> FtypBrands(ReadOnlySpan<byte> h)
    {
        var brands = new List<string>();
        if (h.Length < 12 || !h[4..8].SequenceEqual("ftyp"u8)) return brands;
        var size = (int)Math.Min(h.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(h));
        // Major brand (8..12), minor version (12..16), then compatible brands four bytes each.
        brands.Add(Encoding.ASCII.GetString(h[8..12]));
        for (var at = 16; at + 4 <= size; at += 4) brands.Add(Encoding.ASCII.GetString(h.Slice(at, 4)));
        return brands;
    }

    /// <summary>ISO base media (MP4/MOV: "ftyp" box and its major brand) and EBML (WebM) headers.</summary>
    private static DetectedType? SniffVideo(ReadOnlySpan<byte> h)
    {
        if (h.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
            // The EBML header names its doc type: "webm", or "matroska" (MKV, not accepted).
            return h.IndexOf("webm"u8) >= 0 ? WebM : null;
        if (h.Length < 12 || !h[4..8].SequenceEqual("ftyp"u8)) return null;
        var brand = Encoding.ASCII.GetString(h[8..12]);
        return brand switch
        {
            "qt  " => Mov,
            "isom" or "iso2" or "iso4" or "iso5" or "iso6" or "mp41" or "mp42" or "avc1" or "M4V " or "M4VP" or "dash" or "MSNV" or "3gp4" or "3gp5" or "3g2a" or "mmp4" or "XAVC" => Mp4,
            _ => null,
        };
    }

    private static DetectedType? SniffRefused(ReadOnlySpan<byte> h)
    {
        static DetectedType No(string name, string mime = "application/octet-stream", string? advice = null) => new(name, mime, "", [], MediaKind.None) { Advice = advice };
        const string SaveAsPhoto = "save it as PNG or JPEG";

        if (h.StartsWith("GIF87a"u8) || h.StartsWith("GIF89a"u8)) return No("GIF", "image/gif", SaveAsPhoto);
        if (h.StartsWith("BM"u8) && h.Length >= 14) return No("BMP", "image/bmp", SaveAsPhoto);
        if (h.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || h.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A])) return No("TIFF", "image/tiff", SaveAsPhoto);
        if (h.StartsWith("%PDF"u8)) return No("PDF", "application/pdf");
        if (h.StartsWith("PK"u8)) return No("A ZIP archive (or Office document)");
        if (h.StartsWith("MZ"u8)) return No("A Windows program");
        if (h.StartsWith((ReadOnlySpan<byte>)[0x7F, 0x45, 0x4C, 0x46])) return No("A Linux program");
        if (h.StartsWith((ReadOnlySpan<byte>)[0xCF, 0xFA, 0xED, 0xFE]) || h.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xED, 0xFA, 0xCF])
            || h.StartsWith((ReadOnlySpan<byte>)[0xCA, 0xFE, 0xBA, 0xBE])) return No("A macOS program");
        if (h.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return No("MKV (Matroska)", "video/x-matroska", "save it as MP4 or WebM");
        if (h.Length >= 12 && h[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(h[8..12]);
            return brand switch
            {
                "M4A " or "M4B " => No("M4A audio", "audio/mp4", "a clip needs pictures: send it as MP4, MOV or WebM"),
                _ => No($"This ISO media file (brand '{brand.Trim()}')", "application/octet-stream"),
            };
        }
        var text = Encoding.ASCII.GetString(h).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith('<')) return No("SVG/XML or HTML", "text/xml");
        return null;
    }
}
