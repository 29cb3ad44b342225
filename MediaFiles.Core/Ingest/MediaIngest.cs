using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>A stage of one upload and what the file was sniffed as.</summary>
public readonly record struct IngestStage(UploadStage Stage, MediaKind Kind);

/// <summary>
/// The path of one file's bytes to a staged upload: read the header and sniff it once (the bytes
/// decide photo or clip; what the browser said is only a hint) → refuse early what cannot be
/// accepted (type, declared size, no ffmpeg) before the body is read → receive the rest into a temp
/// file while hashing, stopping one byte past the kind's limit → hand over to the image or the video
/// pipeline. Nothing is left behind by a refusal: the temp file goes on dispose.
/// </summary>
public sealed class MediaIngest(
    ImageIngestPipeline images,
    VideoIngestPipeline videos,
    IMediaStore store,
    Ffmpeg ffmpeg,
    IOptions<MediaFilesOptions> options)
{
    /// <param name="declaredLength">The body's Content-Length, when the sender gave one: an oversized file is refused before it is read.</param>
    public async Task<IngestResult> IngestAsync(Stream body, IngestRequest request, IProgress<IngestStage>? progress, CancellationToken ct,
        long? declaredLength = null)
    {
        var largest = AcceptedFiles.LargestAccepted(options.Value, request.PhotosOnly);
        if (declaredLength > largest.MaxBytes)
            throw IngestRefusedException.TooLarge(declaredLength.Value, largest.MaxBytes, largest.What);

        var head = new byte[FileTypeSniffer.HeaderLength];
        var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (read == 0)
            throw new IngestRefusedException("empty", "The file is empty.");
        var type = AcceptedFiles.Require(FileTypeSniffer.Sniff(head.AsSpan(0, read)), request.PhotosOnly, request.FileName);
        var limit = AcceptedFiles.LimitFor(options.Value, type.Kind);
        if (declaredLength > limit.MaxBytes)
            throw IngestRefusedException.TooLarge(declaredLength.Value, limit.MaxBytes, limit.What);
        // Before the body is read: without ffmpeg nothing of a clip could be checked.
        if (type.Kind == MediaKind.Video && !await ffmpeg.IsAvailableAsync())
            throw new IngestRefusedException("ffmpeg_missing", VideoIngestPipeline.FfmpegMissingMessage);

        // A photo asked for as a clip (an old client's kind=video) is still filed with the photos.
        if (type.Kind == MediaKind.Image && request.Category == MediaCategory.Videos)
            request = request with { Category = MediaCategory.Photos };

        var stages = progress is null ? null : new KindStages(progress, type.Kind);
        using var temp = store.CreateTempFile();
        stages?.Report(UploadStage.Receiving);
        var received = await StreamReceiver.ReceiveAsync(head.AsMemory(0, read), body, temp, limit.MaxBytes, ct, limit.What);

        stages?.Report(UploadStage.Checking);
        var result = type.Kind == MediaKind.Video
            ? await videos.IngestAsync(temp, received, type, request, stages, ct)
            : await images.IngestAsync(temp, received, type, request, stages, ct);
        return result with { Kind = type.Kind };
    }

    private sealed class KindStages(IProgress<IngestStage> inner, MediaKind kind) : IProgress<UploadStage>
    {
        public void Report(UploadStage value) => inner.Report(new IngestStage(value, kind));
    }
}
