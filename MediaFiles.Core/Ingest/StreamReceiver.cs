using System.Buffers;
using System.Security.Cryptography;
using MediaFiles.Core.Storage;

namespace MediaFiles.Core.Ingest;

public sealed record ReceivedFile(string Sha256, long Length);

/// <summary>
/// Receive: copies the request body to a temp file while hashing it, and stops reading one byte
/// past the limit so an oversized upload is refused without being stored.
/// </summary>
public static class StreamReceiver
{
    private const int BufferSize = 1 << 16;

    /// <param name="head">Bytes already read from the body (the header the type was sniffed from).</param>
    public static async Task<ReceivedFile> ReceiveAsync(ReadOnlyMemory<byte> head, Stream body, TempFile temp, long maxBytes, CancellationToken ct, string what = "a photo")
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = head.Length;
        try
        {
            await using var output = temp.OpenWrite();
            if (total > maxBytes)
                throw IngestRefusedException.TooLargeWhileStreaming(maxBytes, what);
            hash.AppendData(head.Span);
            await output.WriteAsync(head, ct);
            while (true)
            {
                var want = (int)Math.Min(buffer.Length, maxBytes + 1 - total);
                var read = await body.ReadAsync(buffer.AsMemory(0, want), ct);
                if (read == 0) break;
                total += read;
                if (total > maxBytes)
                    throw IngestRefusedException.TooLargeWhileStreaming(maxBytes, what);
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (total == 0)
            throw new IngestRefusedException("empty", "The file is empty.");
        return new ReceivedFile(Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }
}
