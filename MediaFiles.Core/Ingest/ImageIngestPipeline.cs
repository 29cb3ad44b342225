using System.Text.Json;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Storage;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// The path of one image from request body to a staged MediaFile (design.md, "The path of one file"):
/// receive → sniff → inspect → dedup → derive → place → commit. Any failure at any stage leaves no
/// temp file, no placed file and no row.
/// </summary>
public sealed class ImageIngestPipeline(
    BlobRegistry blobs,
    IMediaStore store,
    DerivedFiles derived,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock)
{
    public async Task<IngestResult> IngestAsync(Stream body, IngestRequest request, IProgress<IngestStageReport>? progress, CancellationToken ct)
    {
        var limits = options.Value.Images;
        using var temp = store.CreateTempFile();

        progress?.Report(IngestStageReport.Receiving);
        var received = await StreamReceiver.ReceiveAsync(body, temp, limits.MaxBytes, ct);

        progress?.Report(IngestStageReport.Checking);
        var type = RequireImage(await BlobRegistry.SniffAsync(temp.Path, ct));
        var fileName = FileNameSanitizer.Sanitize(request.FileName, type.Extension);
        TypeAgreement.Require(type, fileName, request.DeclaredMimeType);
        var facts = ImageInspector.Inspect(temp.Path, type, limits);

        var known = await blobs.StageExistingAsync(received.Sha256, request.UserId, ct);
        if (known is not null)
            return known with { FileName = fileName, TakenAt = facts.TakenAt };

        progress?.Report(IngestStageReport.Variants);
        var stored = await StoreNewAsync(temp, received, type, facts, fileName, request, ct);
        return stored with { FileName = fileName, TakenAt = facts.TakenAt };
    }

    private static DetectedType RequireImage(DetectedType? type)
    {
        if (type is null)
            throw new IngestRefusedException("type_not_accepted", $"This is not an image MediaFiles can read: {FileTypeSniffer.AcceptedImagesText} are accepted.");
        if (type.IsAcceptedVideo)
            throw new IngestRefusedException("type_not_accepted", $"This is {TypeAgreement.Article(type.Name)} {type.Name} video, not a photo: add it as a video clip.");
        if (!type.IsAcceptedImage)
            throw new IngestRefusedException("type_not_accepted", $"{type.Name} is not accepted: {FileTypeSniffer.AcceptedImagesText}.");
        return type;
    }

    private async Task<IngestResult> StoreNewAsync(TempFile original, ReceivedFile received, DetectedType type, ImageFacts facts,
        string fileName, IngestRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Guid.NewGuid();
        var originalPath = StoragePaths.Original(request.Category, now, id, type.Extension);

        using var variants = await derived.WriteImageVariantsAsync(original.Path, type, facts, ct);
        var placed = new List<string>();
        try
        {
            store.Place(original, originalPath);
            placed.Add(originalPath);
            foreach (var file in variants.Files)
            {
                var path = StoragePaths.Variant(originalPath, file.Variant);
                store.Place(file.Temp, path);
                placed.Add(path);
            }

            var media = new MediaFile
            {
                Id = id,
                FilePath = originalPath,
                OriginalFilename = fileName,
                Sha256 = received.Sha256,
                Size = received.Length,
                MimeType = type.MimeType,
                Width = facts.UprightWidth,
                Height = facts.UprightHeight,
                MetadataJson = JsonSerializer.Serialize(new
                {
                    format = type.Name,
                    orientation = facts.Orientation,
                    storedWidth = facts.StoredWidth,
                    storedHeight = facts.StoredHeight,
                    takenAt = facts.TakenAt?.Local.ToString("s"),
                    takenAtOffsetMinutes = facts.TakenAt?.Offset?.TotalMinutes,
                }),
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

public enum IngestStageReport
{
    Receiving,
    Checking,
    Variants,
}

public static class SizeText
{
    public static string Of(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MB",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes} bytes",
    };
}
