using System.Text.Json;
using MediaFiles.Core.Background;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// The path of one video clip to a staged MediaFile: receive (stream + SHA-256) → sniff (ftyp/EBML)
/// → probe (ffprobe) and limits → tail decode (truncation) → dedup → poster and thumbnail → place →
/// commit, with the browser-playable copy queued when the original is not H.264/AAC MP4.
/// Any failure at any stage leaves no temp file, no placed file and no row.
/// </summary>
public sealed class VideoIngestPipeline(
    BlobRegistry blobs,
    IMediaStore store,
    DerivedFiles derived,
    Ffmpeg ffmpeg,
    WorkSignal<TranscodeQueue> transcodes,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock)
{
    public const string FfmpegMissingMessage = "Video needs ffmpeg on the server, and it is not installed: ask an administrator to run 'apt-get install ffmpeg'. Photos still work.";

    public async Task<IngestResult> IngestAsync(Stream body, IngestRequest request, IProgress<IngestStageReport>? progress, CancellationToken ct)
    {
        // Before a byte is read: without ffmpeg nothing could be checked.
        if (!await ffmpeg.IsAvailableAsync())
            throw new IngestRefusedException("ffmpeg_missing", FfmpegMissingMessage);

        var limits = options.Value.Videos;
        using var temp = store.CreateTempFile();
        progress?.Report(IngestStageReport.Receiving);
        var received = await StreamReceiver.ReceiveAsync(body, temp, limits.MaxBytes, ct, "a video clip");

        progress?.Report(IngestStageReport.Checking);
        var type = RequireVideo(await BlobRegistry.SniffAsync(temp.Path, ct));
        var fileName = FileNameSanitizer.Sanitize(request.FileName, type.Extension);
        TypeAgreement.Require(type, fileName, request.DeclaredMimeType);
        var facts = VideoInspector.Inspect(await ProbeAsync(temp.Path, type, ct), limits);
        if (!await ffmpeg.DecodesToTheEndAsync(temp.Path, ct))
            throw new IngestRefusedException("unreadable", $"The {type.Name} video is damaged or incomplete: its end cannot be played. Send the whole file again.");

        var known = await blobs.StageExistingAsync(received.Sha256, request.UserId, ct);
        if (known is not null) return known with { FileName = fileName };

        progress?.Report(IngestStageReport.Variants);
        var stored = await StoreNewAsync(temp, received, type, facts, fileName, request, ct);
        if (stored.Outcome == IngestOutcome.Saved) transcodes.Wake();
        return stored with { FileName = fileName };
    }

    private static DetectedType RequireVideo(DetectedType? type)
    {
        if (type is null)
            throw new IngestRefusedException("type_not_accepted", $"This is not a video MediaFiles can read: {FileTypeSniffer.AcceptedVideosText} are accepted.");
        if (type.IsAcceptedImage)
            throw new IngestRefusedException("type_not_accepted", $"This is {TypeAgreement.Article(type.Name)} {type.Name} image, not a video: add it as a photo.");
        if (!type.IsAcceptedVideo)
            throw new IngestRefusedException("type_not_accepted", $"{type.Name} is not accepted: {FileTypeSniffer.AcceptedVideosText}.");
        return type;
    }

    private async Task<FFMpegCore.IMediaAnalysis> ProbeAsync(string path, DetectedType type, CancellationToken ct)
    {
        try
        {
            return await ffmpeg.ProbeAsync(path, ct);
        }
        catch (FfmpegFailedException ex)
        {
            throw new IngestRefusedException("unreadable", ex.TimedOut
                ? $"The {type.Name} video took too long to read: it may be damaged."
                : $"The {type.Name} video cannot be read: it may be damaged or incomplete.");
        }
    }

    private async Task<IngestResult> StoreNewAsync(TempFile original, ReceivedFile received, DetectedType type, VideoFacts facts,
        string fileName, IngestRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Guid.NewGuid();
        var originalPath = StoragePaths.Original(MediaCategory.Videos, now, id, type.Extension);

        // The poster and thumbnail: a frame from early in the clip, past a black first frame.
        using var poster = await derived.WritePosterAsync(original.Path, facts.Duration, options.Value.Images, ct);
        var placed = new List<string>();
        try
        {
            store.Place(original, originalPath);
            placed.Add(originalPath);
            foreach (var file in poster.Files)
            {
                var path = StoragePaths.Variant(originalPath, file.Variant);
                store.Place(file.Temp, path);
                placed.Add(path);
            }

            var playable = facts.IsBrowserPlayable(type);
            var media = new MediaFile
            {
                Id = id,
                FilePath = originalPath,
                OriginalFilename = fileName,
                Sha256 = received.Sha256,
                Size = received.Length,
                MimeType = type.MimeType,
                Width = facts.Width,
                Height = facts.Height,
                DurationSeconds = Math.Round(facts.Duration.TotalSeconds, 3),
                VideoCodec = facts.VideoCodec,
                AudioCodec = facts.AudioCodec,
                FrameRate = Math.Round(facts.FrameRate, 3),
                Bitrate = facts.Bitrate,
                MetadataJson = JsonSerializer.Serialize(new { format = type.Name, rotation = facts.Rotation, pixelFormat = facts.PixelFormat }),
                PlayableState = playable ? PlayableState.Original : PlayableState.Queued,
            };
            var result = await blobs.CommitNewAsync(media, placed, request.UserId, ct);
            placed.Clear();
            return result;
        }
        finally
        {
            blobs.DeleteQuietly(placed);
        }
    }
}
