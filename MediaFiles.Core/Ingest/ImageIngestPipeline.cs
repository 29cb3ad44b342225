using System.Text.Json;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Storage;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// The image half of ingest, after <see cref="MediaIngest"/> has received the bytes and sniffed them
/// as an image: check (name and declared type agree, size limits by a header ping) → dedup → derive
/// the display sizes → place → commit. Any failure at any stage leaves no placed file and no row.
/// </summary>
public sealed class ImageIngestPipeline(
    BlobRegistry blobs,
    IMediaStore store,
    WardClock wardClock,
    DerivedFiles derived,
    IOptions<MediaFilesOptions> options,
    TimeProvider clock)
{
    public async Task<IngestResult> IngestAsync(TempFile temp, ReceivedFile received, DetectedType type, IngestRequest request,
        IProgress<UploadStage>? progress, CancellationToken ct)
    {
        var fileName = FileNameSanitizer.Sanitize(request.FileName, type.Extension);
        TypeAgreement.Require(type, fileName, request.DeclaredMimeType);
        var facts = ImageInspector.Inspect(temp.Path, type, options.Value.Images);
        var capturedAt = facts.TakenAt is { } taken ? wardClock.ToUtc(taken) : (DateTime?)null;

        var known = await blobs.StageExistingAsync(received.Sha256, request.UserId, ct);
        if (known is not null)
            return known with { FileName = fileName };

        progress?.Report(UploadStage.Variants);
        var stored = await StoreNewAsync(temp, received, type, facts, capturedAt, fileName, request, ct);
        return stored with { FileName = fileName };
    }

    private async Task<IngestResult> StoreNewAsync(TempFile original, ReceivedFile received, DetectedType type, ImageFacts facts,
        DateTime? capturedAt, string fileName, IngestRequest request, CancellationToken ct)
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
                CapturedAt = capturedAt,
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
