using ImageMagick;
using ImageMagick.Drawing;

namespace MediaFiles.Tests.Support;

/// <summary>Small upload bodies for the endpoint and component tests.</summary>
public static class TestUploads
{
    /// <summary>
    /// A JPEG whose bytes are unique to this call (a random comment is written into it), so two calls
    /// never deduplicate against each other; the same array uploaded twice does.
    /// </summary>
    public static byte[] UniqueJpeg(int width = 640, int height = 480)
    {
        using var image = new MagickImage(MagickColors.SteelBlue, (uint)width, (uint)height);
        new Drawables().FillColor(MagickColors.Red).Rectangle(width / 8, height / 8, width / 2, height / 2).Draw(image);
        image.Comment = Guid.NewGuid().ToString("N");
        image.Format = MagickFormat.Jpeg;
        image.Quality = 85;
        return image.ToByteArray();
    }

    /// <summary>A unique PNG (see <see cref="UniqueJpeg"/>).</summary>
    public static byte[] UniquePng(int width = 120, int height = 90)
    {
        using var image = new MagickImage(MagickColors.Orange, (uint)width, (uint)height);
        image.Comment = Guid.NewGuid().ToString("N");
        image.Format = MagickFormat.Png;
        return image.ToByteArray();
    }

    /// <summary>A stream that cannot say its length, so HttpClient sends it chunked (no Content-Length).</summary>
    public sealed class UnknownLengthStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
