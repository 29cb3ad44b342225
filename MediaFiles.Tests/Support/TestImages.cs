using System.Buffers.Binary;
using System.Text;
using ImageMagick;
using ImageMagick.Drawing;

namespace MediaFiles.Tests.Support;

/// <summary>
/// Test images made with Magick.NET at test time. Each generator returns the encoded bytes (the
/// expensive ones are made once per test run) and <see cref="Save"/> puts them in a file.
/// </summary>
public static class TestImages
{
    public const int PhoneWidth = 4000;
    public const int PhoneHeight = 3000;

    /// <summary>The red block covers this top-left part of the STORED pixels of the phone photo.</summary>
    public const int PhoneRedBlockWidth = 1000;
    public const int PhoneRedBlockHeight = 750;

    /// <summary>The phone photo's EXIF DateTimeOriginal (camera local time) and OffsetTimeOriginal.</summary>
    public const string PhoneDateTimeOriginal = "2026:03:14 18:42:07";
    public const string PhoneOffsetTimeOriginal = "+01:00";

    public const double PhoneLatitude = 52.5163;
    public const double PhoneLongitude = 13.3777;

    private static readonly Lazy<byte[]> Phone = new(CreatePhoneJpeg, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<byte[]> AlphaPng = new(CreatePngWithAlpha, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<byte[]> Webp = new(CreateWebP, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<byte[]> Gif = new(CreateGif, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// A 4000 × 3000 phone-style JPEG stored sideways: EXIF Orientation 6 (turn 90° clockwise to
    /// show), capture time with its UTC offset, GPS position, camera make/model and an embedded
    /// 160 × 120 EXIF thumbnail; an sRGB ICC profile; an XMP packet with the position again. The
    /// stored pixels are a blue gradient with a red block in the top-left corner and a green block
    /// in the bottom-right corner, so the orientation of a derived image can be checked.
    /// </summary>
    public static byte[] PhoneJpeg => Phone.Value;

    /// <summary>A 400 × 300 PNG, transparent except for an opaque blue block in the middle (100..299, 75..224).</summary>
    public static byte[] PngWithAlpha => AlphaPng.Value;

    /// <summary>A 320 × 240 lossy WebP.</summary>
    public static byte[] WebP => Webp.Value;

    /// <summary>A 64 × 64 GIF.</summary>
    public static byte[] GifImage => Gif.Value;

    /// <summary>A small 640 × 480 JPEG; a different <paramref name="seed"/> gives different bytes (no dedup between them).</summary>
    public static byte[] SmallJpeg(int seed = 0, int width = 640, int height = 480)
    {
        var hue = (byte)(seed * 37 % 200);
        using var image = new MagickImage(new MagickColor(hue, (byte)(255 - hue), 128), (uint)width, (uint)height);
        new Drawables()
            .FillColor(new MagickColor((byte)(seed * 11 % 256), 40, (byte)(200 - hue / 2)))
            .Rectangle(width / 8 + seed % 50, height / 8, width / 2, height / 2)
            .Draw(image);
        image.Format = MagickFormat.Jpeg;
        image.Quality = 90;
        return image.ToByteArray();
    }

    /// <summary>
    /// A 640 × 480 JPEG with EXIF <paramref name="orientation"/> (1–8) and a red block in the
    /// top-left quarter-by-quarter corner of the stored pixels; the rest is grey.
    /// </summary>
    public static byte[] OrientedJpeg(int orientation)
    {
        using var image = new MagickImage(new MagickColor(128, 128, 128), 640, 480);
        new Drawables().FillColor(MagickColors.Red).Rectangle(0, 0, 159, 119).Draw(image);
        image.Orientation = (Orientation)orientation;
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Orientation, (ushort)orientation);
        image.SetProfile(exif);
        image.Format = MagickFormat.Jpeg;
        image.Quality = 90;
        return image.ToByteArray();
    }

    /// <summary>A 300 × 200 CMYK JPEG without a colour profile: left half red, right half blue (as CMYK inks).</summary>
    public static byte[] CmykJpeg()
    {
        using var image = new MagickImage(MagickColors.Red, 300, 200);
        new Drawables().FillColor(MagickColors.Blue).Rectangle(150, 0, 299, 199).Draw(image);
        image.TransformColorSpace(ColorProfiles.SRGB, ColorProfiles.USWebCoatedSWOP);
        image.RemoveProfile("icc");
        image.Format = MagickFormat.Jpeg;
        image.Quality = 90;
        return image.ToByteArray();
    }

    /// <summary>A JPEG signature followed by random bytes: starts like a JPEG, is not one.</summary>
    public static byte[] GarbageJpeg(int length = 4096)
    {
        var bytes = new byte[length];
        new Random(1234).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    /// <summary>
    /// A real JPEG with its quantization tables (DQT segments) cut out: the header reads fine (a ping
    /// gives its size) but decoding the pixels fails, so it is refused at the variant stage.
    /// </summary>
    public static byte[] JpegWithoutQuantizationTables()
    {
        var jpeg = SmallJpeg(seed: 99);
        var output = new List<byte>(jpeg.Length) { 0xFF, 0xD8 };
        var i = 2;
        while (i + 3 < jpeg.Length)
        {
            if (jpeg[i] != 0xFF) throw new InvalidOperationException($"Unexpected JPEG structure at byte {i}.");
            var marker = jpeg[i + 1];
            if (marker == 0xDA) // start of scan: the entropy-coded data follows, copy the rest as is
            {
                output.AddRange(jpeg.AsSpan(i).ToArray());
                return output.ToArray();
            }
            var segment = 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);
            if (marker != 0xDB) output.AddRange(jpeg.AsSpan(i, segment).ToArray());
            i += segment;
        }
        throw new InvalidOperationException("No start of scan in the JPEG.");
    }

    /// <summary>The first bytes of a Linux (ELF) executable, padded.</summary>
    public static byte[] ElfProgram() => Program([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]);

    /// <summary>The first bytes of a Windows (MZ/PE) executable, padded.</summary>
    public static byte[] WindowsProgram() => Program("MZ\x90\0\x03\0\0\0"u8.ToArray());

    public static byte[] TextFile() => Encoding.UTF8.GetBytes("Patient notes: not an image.\nSecond line.\n");

    /// <summary>Writes the bytes to <paramref name="directory"/>/<paramref name="fileName"/> and returns the full path.</summary>
    public static string Save(byte[] bytes, string directory, string fileName)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Program(byte[] header)
    {
        var bytes = new byte[512];
        header.CopyTo(bytes, 0);
        for (var i = header.Length; i < bytes.Length; i++) bytes[i] = (byte)(i * 7);
        return bytes;
    }

    private static byte[] CreatePhoneJpeg()
    {
        using var image = new MagickImage("gradient:#1040a0-#80c0f0", new MagickReadSettings { Width = PhoneWidth, Height = PhoneHeight });
        new Drawables()
            .FillColor(MagickColors.Red)
            .Rectangle(0, 0, PhoneRedBlockWidth - 1, PhoneRedBlockHeight - 1)
            .FillColor(new MagickColor(0, 200, 0))
            .Rectangle(PhoneWidth - PhoneRedBlockWidth, PhoneHeight - PhoneRedBlockHeight, PhoneWidth - 1, PhoneHeight - 1)
            .Draw(image);

        image.SetProfile(ColorProfiles.SRGB);
        image.SetProfile(new XmpProfile(Encoding.UTF8.GetBytes(
            """
            <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,30.978N" exif:GPSLongitude="13,22.662E"/>
            </rdf:RDF></x:xmpmeta>
            <?xpacket end="w"?>
            """)));
        image.Format = MagickFormat.Jpeg;
        image.Quality = 92;
        var jpeg = image.ToByteArray();

        // The EXIF block is written by hand, as a phone does, so it can carry an embedded thumbnail
        // (Magick.NET can read one but not add one). It goes right after the SOI marker.
        var app1 = ExifApp1(PhoneExifThumbnail());
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }

    /// <summary>
    /// A small unique JPEG whose EXIF says when the camera took it: DateTimeOriginal (camera local
    /// time, "yyyy:MM:dd HH:mm:ss") and, when given, OffsetTimeOriginal ("+02:00").
    /// </summary>
    public static byte[] JpegTakenAt(DateTime cameraLocal, string? offset = null, int width = 320, int height = 240)
    {
        using var image = new MagickImage(MagickColors.SeaGreen, (uint)width, (uint)height);
        image.Comment = Guid.NewGuid().ToString("N");
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.DateTimeOriginal, cameraLocal.ToString("yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        if (offset is not null) exif.SetValue(ExifTag.OffsetTimeOriginal, offset);
        image.SetProfile(exif);
        image.Format = MagickFormat.Jpeg;
        image.Quality = 85;
        return image.ToByteArray();
    }

    /// <summary>The 160 × 120 magenta JPEG embedded in the phone photo's EXIF (IFD1).</summary>
    public static byte[] PhoneExifThumbnail()
    {
        using var thumb = new MagickImage(MagickColors.Magenta, 160, 120);
        thumb.Format = MagickFormat.Jpeg;
        thumb.Quality = 70;
        return thumb.ToByteArray();
    }

    private sealed record IfdEntry(ushort Tag, ushort Type, uint Count, byte[] Value);

    private const ushort Ascii = 2, Short = 3, Long = 4, RationalType = 5;

    /// <summary>
    /// An APP1 "Exif" segment (little-endian TIFF): IFD0 with make, model, Orientation 6 and the
    /// Exif and GPS IFD pointers; the Exif IFD with the capture time and its UTC offset; the GPS IFD
    /// with latitude and longitude; IFD1 pointing at a JPEG thumbnail.
    /// </summary>
    private static byte[] ExifApp1(byte[] thumbnail)
    {
        static byte[] Text(string s) => Encoding.ASCII.GetBytes(s + "\0");
        static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }
        static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
        static byte[] Rationals(double degrees) => Dms(degrees).SelectMany(r => U32(r.Numerator).Concat(U32(r.Denominator))).ToArray();
        static int Size(IReadOnlyList<IfdEntry> ifd) => 2 + 12 * ifd.Count + 4 + ifd.Sum(e => e.Value.Length > 4 ? (e.Value.Length + 1) & ~1 : 0);

        var gps = new List<IfdEntry>
        {
            new(0x0000, 1, 4, [2, 3, 0, 0]), // GPSVersionID (BYTE)
            new(0x0001, Ascii, 2, Text("N")),
            new(0x0002, RationalType, 3, Rationals(PhoneLatitude)),
            new(0x0003, Ascii, 2, Text("E")),
            new(0x0004, RationalType, 3, Rationals(PhoneLongitude)),
        };
        var exif = new List<IfdEntry>
        {
            new(0x9003, Ascii, 20, Text(PhoneDateTimeOriginal)),   // DateTimeOriginal
            new(0x9011, Ascii, 7, Text(PhoneOffsetTimeOriginal)),  // OffsetTimeOriginal
        };
        var ifd0 = new List<IfdEntry>
        {
            new(0x010F, Ascii, 15, Text("TestPhone Inc.")),
            new(0x0110, Ascii, 9, Text("TP-1 Pro")),
            new(0x0112, Short, 1, U16(6)),
            new(0x8769, Long, 1, U32(0)), // Exif IFD offset, filled in below
            new(0x8825, Long, 1, U32(0)), // GPS IFD offset, filled in below
        };
        var ifd1 = new List<IfdEntry>
        {
            new(0x0103, Short, 1, U16(6)), // Compression: JPEG
            new(0x0201, Long, 1, U32(0)),  // JPEGInterchangeFormat (offset), filled in below
            new(0x0202, Long, 1, U32((uint)thumbnail.Length)),
        };

        const int ifd0Offset = 8;
        var exifOffset = ifd0Offset + Size(ifd0);
        var gpsOffset = exifOffset + Size(exif);
        var ifd1Offset = gpsOffset + Size(gps);
        var thumbnailOffset = ifd1Offset + Size(ifd1);
        ifd0[3] = ifd0[3] with { Value = U32((uint)exifOffset) };
        ifd0[4] = ifd0[4] with { Value = U32((uint)gpsOffset) };
        ifd1[1] = ifd1[1] with { Value = U32((uint)thumbnailOffset) };

        var tiff = new List<byte>();
        tiff.AddRange("II"u8.ToArray());
        tiff.AddRange(U16(42));
        tiff.AddRange(U32(ifd0Offset));
        WriteIfd(tiff, ifd0, (uint)ifd1Offset);
        WriteIfd(tiff, exif, 0);
        WriteIfd(tiff, gps, 0);
        WriteIfd(tiff, ifd1, 0);
        if (tiff.Count != thumbnailOffset) throw new InvalidOperationException("EXIF layout is off.");
        tiff.AddRange(thumbnail);

        var length = 2 + 6 + tiff.Count;
        if (length > ushort.MaxValue) throw new InvalidOperationException("EXIF segment too long.");
        return [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. "Exif\0\0"u8, .. tiff];

        static void WriteIfd(List<byte> tiff, IReadOnlyList<IfdEntry> entries, uint next)
        {
            var dataOffset = tiff.Count + 2 + 12 * entries.Count + 4;
            var data = new List<byte>();
            tiff.AddRange(U16((ushort)entries.Count));
            foreach (var e in entries)
            {
                tiff.AddRange(U16(e.Tag));
                tiff.AddRange(U16(e.Type));
                tiff.AddRange(U32(e.Count));
                if (e.Value.Length <= 4)
                {
                    tiff.AddRange(e.Value);
                    for (var i = e.Value.Length; i < 4; i++) tiff.Add(0);
                }
                else
                {
                    tiff.AddRange(U32((uint)(dataOffset + data.Count)));
                    data.AddRange(e.Value);
                    if (data.Count % 2 == 1) data.Add(0);
                }
            }
            tiff.AddRange(U32(next));
            tiff.AddRange(data);
        }
    }

    private static Rational[] Dms(double degrees)
    {
        var d = Math.Floor(degrees);
        var minutes = (degrees - d) * 60;
        var m = Math.Floor(minutes);
        var s = (minutes - m) * 60;
        return [new Rational((uint)d, 1), new Rational((uint)m, 1), new Rational((uint)Math.Round(s * 100), 100)];
    }

    private static byte[] CreatePngWithAlpha()
    {
        using var image = new MagickImage(MagickColors.Transparent, 400, 300);
        new Drawables().FillColor(MagickColors.Blue).Rectangle(100, 75, 299, 224).Draw(image);
        image.Format = MagickFormat.Png;
        return image.ToByteArray();
    }

    private static byte[] CreateWebP()
    {
        using var image = new MagickImage(MagickColors.Orange, 320, 240);
        new Drawables().FillColor(MagickColors.Purple).Rectangle(20, 20, 159, 119).Draw(image);
        image.Format = MagickFormat.WebP;
        image.Quality = 80;
        return image.ToByteArray();
    }

    private static byte[] CreateGif()
    {
        using var image = new MagickImage(MagickColors.Yellow, 64, 64);
        new Drawables().FillColor(MagickColors.Black).Rectangle(8, 8, 31, 31).Draw(image);
        image.Format = MagickFormat.Gif;
        return image.ToByteArray();
    }
}
