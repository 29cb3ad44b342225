using System.Text.Json;
using MediaFiles.Core.Background;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// The video half of ingest, after <see cref="MediaIngest"/> has received the bytes and sniffed them
/// as a clip: check (name and declared type agree) → probe (ffprobe) and limits → tail decode
/// (truncation) → dedup → poster and thumbnail → place → commit, with the browser-playable copy
/// queued when the original is not H.264/AAC MP4. Any failure leaves no placed file and no row.
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

    public async Task<IngestResult> IngestAsync(TempFile temp, ReceivedFile received, DetectedType type, IngestRequest request,
        IProgress<UploadStage>? progress, CancellationToken ct)
    {
        var fileName = FileNameSanitizer.Sanitize(request.FileName, type.Extension);
        TypeAgreement.Require(type, fileName, request.DeclaredMimeType);
        var facts = VideoInspector.Inspect(await ProbeAsync(temp.Path, type, ct), options.Value.Videos);
        if (!await ffmpeg.DecodesToTheEndAsync(temp.Path, isoMedia: type != FileTypeSniffer.WebM, facts.Duration, ct))
            throw new IngestRefusedException("unreadable", $"The {type.Name} video is damaged or incomplete: its end cannot be played. Send the whole file again.");

        var known = await blobs.StageExistingAsync(received.Sha256, request.UserId, ct);
        if (known is not null) return known with { FileName = fileName };

        progress?.Report(UploadStage.Variants);
        var stored = await StoreNewAsync(temp, received, type, facts, fileName, request, ct);
        if (stored.Outcome == IngestOutcome.Saved) transcodes.Wake();
        return stored with { FileName = fileName };
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
                CapturedAt = facts.CreatedAt,
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
