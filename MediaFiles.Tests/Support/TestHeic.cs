using System.Buffers.Binary;
using System.Text;
using ImageMagick;
using ImageMagick.Drawing;

namespace MediaFiles.Tests.Support;

/// <summary>
/// HEIC photos for tests. Magick.NET here reads HEIC but cannot write it (no HEVC encoder in its
/// libheif), so the picture is encoded to HEVC by ffmpeg (libx265) and wrapped in a HEIF container
/// written here, box by box: ftyp (heic, mif1), meta (hdlr pict, pitm, iinf with the hvc1 image and
/// an Exif item, iref cdsc, iprp with hvcC, ispe and an optional irot, iloc) and mdat.
/// </summary>
public static class TestHeic
{
    public const int StoredWidth = 128;
    public const int StoredHeight = 96;

    /// <summary>The red block covers this top-left part of the stored (coded) pixels; the rest is blue.</summary>
    public const int RedWidth = 32;
    public const int RedHeight = 24;

    public const string DateTimeOriginal = "2026:03:15 09:30:00";
    public const string OffsetTimeOriginal = "+01:00";

    private static readonly string Folder = Directory.CreateTempSubdirectory("mediafiles-test-heic").FullName;

    /// <summary>
    /// A 128 × 96 HEIC, blue with a red top-left block, with EXIF (capture time, GPS, and the given
    /// orientation tag) and, when <paramref name="irotQuarterTurnsAnticlockwise"/> is not 0, HEIF's own
    /// rotation. <paramref name="seed"/> changes a few pixels so the bytes differ (no dedup).
    /// </summary>
    public static async Task<byte[]> CreateAsync(int irotQuarterTurnsAnticlockwise = 0, ushort exifOrientation = 1, int seed = 0)
    {
        var hevc = await EncodeHevcAsync(seed);
        var nals = SplitAnnexB(hevc);
        var vps = nals.First(n => NalType(n) == 32);
        var sps = nals.First(n => NalType(n) == 33);
        var pps = nals.First(n => NalType(n) == 34);
        var image = Concat(nals.Where(n => NalType(n) < 32).Select(n => Concat(U32((uint)n.Length), n)));
        var exif = ExifBlock(exifOrientation);

        byte[] Build(uint imageOffset, uint exifOffset)
        {
            var hvcC = Box("hvcC", HvcC(vps, sps, pps));
            var ispe = FullBox("ispe", 0, 0, Concat(U32(StoredWidth), U32(StoredHeight)));
            var properties = new List<byte[]> { hvcC, ispe };
            if (irotQuarterTurnsAnticlockwise != 0) properties.Add(Box("irot", [(byte)(irotQuarterTurnsAnticlockwise & 3)]));
            var associations = Enumerable.Range(1, properties.Count).Select(i => (byte)(i == 1 ? 0x80 | i : i)).ToArray();
            var ipma = FullBox("ipma", 0, 0, Concat(U32(1), U16(1), [(byte)associations.Length], associations));
            var iprp = Box("iprp", Concat(Box("ipco", Concat(properties.ToArray())), ipma));
            var iinf = FullBox("iinf", 0, 0, Concat(U16(2),
                FullBox("infe", 2, 0, Concat(U16(1), U16(0), Ascii("hvc1"), [0])),
                FullBox("infe", 2, 0, Concat(U16(2), U16(0), Ascii("Exif"), [0]))));
            var iref = FullBox("iref", 0, 0, Box("cdsc", Concat(U16(2), U16(1), U16(1))));
            var iloc = FullBox("iloc", 0, 0, Concat([0x44, 0x00], U16(2),
                U16(1), U16(0), U16(1), U32(imageOffset), U32((uint)image.Length),
                U16(2), U16(0), U16(1), U32(exifOffset), U32((uint)exif.Length)));
            var hdlr = FullBox("hdlr", 0, 0, Concat(U32(0), Ascii("pict"), new byte[12], [0]));
            var pitm = FullBox("pitm", 0, 0, U16(1));
            var meta = FullBox("meta", 0, 0, Concat(hdlr, pitm, iinf, iref, iprp, iloc));
            var ftyp = Box("ftyp", Concat(Ascii("heic"), U32(0), Ascii("mif1"), Ascii("heic")));
            return Concat(ftyp, meta, Box("mdat", Concat(image, exif)));
        }

        var draft = Build(0, 0);
        var mdatData = (uint)(draft.Length - image.Length - exif.Length);
        return Build(mdatData, mdatData + (uint)image.Length);
    }

    /// <summary>The first <paramref name="fraction"/> of a HEIC's bytes: the header is whole, the picture is not.</summary>
    public static async Task<byte[]> TruncatedAsync(double fraction = 0.7)
    {
        var whole = await CreateAsync(seed: 99);
        return whole.AsSpan(0, (int)(whole.Length * fraction)).ToArray();
    }

    private static async Task<byte[]> EncodeHevcAsync(int seed)
    {
        using var picture = new MagickImage(MagickColors.Blue, StoredWidth, StoredHeight);
        new Drawables().FillColor(MagickColors.Red).Rectangle(0, 0, RedWidth - 1, RedHeight - 1).Draw(picture);
        new Drawables().FillColor(new MagickColor((byte)(seed * 37 % 256), 200, 40)).Rectangle(100, 70, 100 + seed % 20, 90).Draw(picture);
        var name = Guid.NewGuid().ToString("N");
        var png = Path.Combine(Folder, name + ".png");
        var hevc = Path.Combine(Folder, name + ".hevc");
        await picture.WriteAsync(png, MagickFormat.Png);
        await TestClips.FfmpegAsync("-i", png, "-frames:v", "1", "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-x265-params", "log-level=error:keyint=1:info=0", "-f", "hevc", hevc);
        var bytes = await File.ReadAllBytesAsync(hevc);
        File.Delete(png);
        File.Delete(hevc);
        return bytes;
    }

    /// <summary>HEIF's Exif item: a 4-byte offset to the TIFF header, then "Exif\0\0" and the TIFF data.</summary>
    private static byte[] ExifBlock(ushort orientation)
    {
        var profile = new ExifProfile();
        profile.SetValue(ExifTag.Orientation, orientation);
        profile.SetValue(ExifTag.DateTimeOriginal, DateTimeOriginal);
        profile.SetValue(ExifTag.OffsetTimeOriginal, OffsetTimeOriginal);
        profile.SetValue(ExifTag.Make, "Apple");
        profile.SetValue(ExifTag.GPSLatitudeRef, "N");
        profile.SetValue(ExifTag.GPSLatitude, [new Rational(52, 1), new Rational(30, 1), new Rational(0, 1)]);
        var data = profile.ToByteArray() ?? throw new InvalidOperationException("No EXIF bytes.");
        var prefix = data.AsSpan().StartsWith("Exif\0\0"u8) ? 6u : 0u;
        return Concat(U32(prefix), data);
    }

    private static byte[] HvcC(byte[] vps, byte[] sps, byte[] pps)
    {
        // The general profile, tier and level: the 12 bytes after the SPS's NAL header and first byte.
        var ptl = sps.AsSpan(3, 12);
        static byte[] Array(int type, byte[] nal) => Concat([(byte)(0x80 | type)], U16(1), U16((ushort)nal.Length), nal);
        return Concat([1], ptl.ToArray(), [0xF0, 0x00, 0xFC, 0xFD, 0xF8, 0xF8], U16(0), [0x0F, 3],
            Array(32, vps), Array(33, sps), Array(34, pps));
    }

    private static int NalType(byte[] nal) => (nal[0] >> 1) & 0x3F;

    private static List<byte[]> SplitAnnexB(byte[] stream)
    {
        var starts = new List<(int Start, int Prefix)>();
        for (var i = 0; i + 3 <= stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                starts.Add((i + 3, i > 0 && stream[i - 1] == 0 ? 4 : 3));
                i += 2;
            }
        }
        var nals = new List<byte[]>();
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1].Start - starts[k + 1].Prefix : stream.Length;
            nals.Add(stream[starts[k].Start..end]);
        }
        return nals;
    }

    private static byte[] Box(string type, byte[] body) => Concat(U32((uint)(8 + body.Length)), Ascii(type), body);

    private static byte[] FullBox(string type, byte version, uint flags, byte[] body) =>
        Box(type, Concat([version, (byte)(flags >> 16), (byte)(flags >> 8), (byte)flags], body));

    private static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); return b; }
    private static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, v); return b; }
    private static byte[] U16(int v) => U16((ushort)v);
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
    private static byte[] Concat(params IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();
}
