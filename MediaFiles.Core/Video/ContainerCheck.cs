using System.Buffers.Binary;

namespace MediaFiles.Core.Video;

/// <summary>
/// Truncation told by the container, before any decoding: a file cut short declares more bytes than
/// it has. MP4/MOV: every top-level box must fit in the file and a <c>moov</c> must be there.
/// WebM (EBML): the Segment's declared size must fit in the file, unless it says "unknown" (live
/// recordings write that).
/// </summary>
public static class ContainerCheck
{
    public static bool IsComplete(Stream file, bool isoMedia)
    {
        file.Position = 0;
        return isoMedia ? IsoComplete(file) : EbmlComplete(file);
    }

    public static bool IsComplete(string path, bool isoMedia)
    {
        using var file = File.OpenRead(path);
        return IsComplete(file, isoMedia);
    }

    private static bool IsoComplete(Stream file)
    {
        var length = file.Length;
        Span<byte> header = stackalloc byte[16];
        long at = 0;
        var moov = false;
        while (at < length)
        {
            file.Position = at;
            if (length - at < 8) return IsZeroPadding(file, length - at);
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header.Slice(4, 4);
            if (size == 1)
            {
                if (length - at < 16) return false;
                file.ReadExactly(header.Slice(8, 8));
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
                if (size < 16) return false;
            }
            else if (size == 0)
            {
                size = length - at; // "to the end of the file": only the last box may say so
            }
            else if (size < 8)
            {
                return false;
            }
            if (type.SequenceEqual("moov"u8)) moov = true;
            if (size > length - at) return false;
            at += size;
        }
        return moov;
    }

    /// <summary>A few zero bytes after the last box (some cameras pad): no box was cut there.</summary>
    private static bool IsZeroPadding(Stream file, long count)
    {
        for (var i = 0; i < count; i++)
            if (file.ReadByte() != 0) return false;
        return true;
    }

    private static bool EbmlComplete(Stream file)
    {
        var length = file.Length;
        // EBML header: ID 1A 45 DF A3, a size, its body; then the Segment: ID 18 53 80 67 and its size.
        if (ReadId(file) != 0x1A45DFA3) return false;
        var (headerSize, _) = ReadSize(file);
        if (headerSize is not { } hs || file.Position + hs > length) return false;
        file.Position += hs;
        if (ReadId(file) != 0x18538067) return false;
        var (segmentSize, unknown) = ReadSize(file);
        if (unknown) return true;
        return segmentSize is { } ss && file.Position + ss <= length;
    }

    private static long ReadId(Stream file)
    {
        var first = file.ReadByte();
        if (first <= 0) return -1;
        var extra = LeadingZeros((byte)first);
        if (extra > 3) return -1;
        long id = first;
        for (var i = 0; i < extra; i++)
        {
            var b = file.ReadByte();
            if (b < 0) return -1;
            id = (id << 8) | (uint)b;
        }
        return id;
    }

    /// <summary>An EBML variable-length size; all value bits set means "unknown".</summary>
    private static (long? Size, bool Unknown) ReadSize(Stream file)
    {
        var first = file.ReadByte();
        if (first <= 0) return (null, false);
        var extra = LeadingZeros((byte)first);
        long value = first & (0xFF >> (extra + 1));
        var allOnes = value == (0xFF >> (extra + 1));
        for (var i = 0; i < extra; i++)
        {
            var b = file.ReadByte();
            if (b < 0) return (null, false);
            value = (value << 8) | (uint)b;
            allOnes &= b == 0xFF;
        }
        return allOnes ? (null, true) : (value, false);
    }

    private static int LeadingZeros(byte b)
    {
        var n = 0;
        for (var mask = 0x80; mask != 0 && (b & mask) == 0; mask >>= 1) n++;
        return n;
    }
}
