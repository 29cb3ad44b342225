using MediaFiles.Core;
using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MediaFiles.Web.Endpoints;

/// <summary>
/// The streaming upload: the browser POSTs one file's bytes as the raw body; the server ingests it
/// into a staged upload and reports its stages on the media event bus for the page that sent it.
/// </summary>
public static class UploadApi
{
    public const string FileNameHeader = "X-File-Name";

    public static void MapUploadApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/uploads", UploadAsync).WithName("Upload").WithTags("Uploads")
            .RequireAuthorization()
            .RequireRateLimiting(Infrastructure.RateLimits.Uploads)
            .AddEndpointFilter<RawBodyFilter>()
            .AddEndpointFilter<AntiforgeryFilter>()
            .WithSummary("Stream one file (raw body) into a staged upload; attach it with POST /api/patients/{id}/photos, /series or /videos. kind=photo|series|video.")
            .WithDescription("The body is the file's bytes with its own Content-Type, not a form (415). Refusals carry a `code` extension: too_large (413) or why the file is not accepted (422).")
            .WithRawBody("image/jpeg", "image/png", "image/webp", "video/mp4", "video/quicktime", "video/webm", "application/octet-stream")
            .WithHeaderParameter(FileNameHeader, "The original file name, percent-encoded; kept (sanitized) in the database only.")
            .WithParameterDescriptions(
                ("kind", "video: a clip (MP4, MOV, WebM); series: an image for a series; anything else: a photo."),
                ("patient", "The patient the file is for: checked before a byte is read (404 when not one the caller may add media to)."),
                ("batch", "The drop zone's id for live progress on the event bus; scripts leave it out."),
                ("key", "The drop zone's key of this file within the batch; scripts leave it out."))
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <param name="TakenAt">When the camera took the photo (UTC), if the image says.</param>
    /// <param name="DurationSeconds">A video's length.</param>
    public sealed record UploadResponse(Guid UploadId, Guid MediaFileId, string Outcome, string FileName, long Size, int? Width, int? Height, DateTime? TakenAt, double? DurationSeconds = null);

    public static async Task<Results<Created<UploadResponse>, ProblemHttpResult>> UploadAsync(
        HttpContext context,
        ImageIngestPipeline images,
        VideoIngestPipeline videos,
        AccessPolicy access,
        IMediaEventBus bus,
        AuditLog audit,
        IOptions<MediaFilesOptions> options,
        Infrastructure.WardClock wardClock,
        MediaFiles.Core.Photos.PatientDirectory patients,
        Guid? batch,
        string? key,
        string? kind,
        Guid? patient,
        CancellationToken ct)
    {
        var user = HttpCurrentUser.Require(context);
        if (!access.CanUpload(user))
        {
            await audit.WriteAsync(AuditActions.MediaUpload, user.Id, false, details: "role", ct: ct);
            return TypedResults.Problem(statusCode: 403, title: "Not allowed", detail: "Your role cannot upload media.");
        }
        // The patient the upload is for, when the page says: checked before a byte is read, and the
        // stages are then shown live to reviewers who can see that patient.
        if (patient is { } patientId)
        {
            var found = await patients.TryFindVisibleAsync(user, patientId, ct);
            if (found is null || !access.CanAddMedia(user, found))
            {
                await audit.WriteAsync(AuditActions.MediaUpload, user.Id, false, patientId: patientId, details: "patient", ct: ct);
                return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "No such patient on your ward.");
            }
        }
        var isVideo = kind == "video";
        var report = new Reporter(bus, batch, key ?? "", user.Id, patient, isVideo);

        var max = isVideo ? options.Value.Videos.MaxBytes : options.Value.Images.MaxBytes;
        var request = context.Request;
        // Refuse a declared oversize body before reading a byte of it; the stream check below catches liars.
        if (request.ContentLength > max)
            return await RefusedAsync(report, audit, user, patient, IngestRefusedException.TooLarge(request.ContentLength.Value, max, isVideo ? "a video clip" : "a photo"), 413);
        // The pipeline stops reading at the limit + 1 byte and refuses with its own message; Kestrel's
        // 30 MB default (or a tighter limit) would cut in first on a chunked body and answer without one.
        var bodyLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodyLimit is { IsReadOnly: false }) bodyLimit.MaxRequestBodySize = null;

        var fileName = Uri.UnescapeDataString(request.Headers[FileNameHeader].ToString());
        try
        {
            var ingest = new IngestRequest(user.Id, fileName, request.ContentType,
                isVideo ? MediaCategory.Videos : kind == "series" ? MediaCategory.PhotoSeries : MediaCategory.Photos);
            var result = isVideo
                ? await videos.IngestAsync(request.Body, ingest, new Progress(report), ct)
                : await images.IngestAsync(request.Body, ingest, new Progress(report), ct);
            var outcome = result.Outcome == IngestOutcome.Duplicate ? "duplicate" : "saved";
            report.Send(result.Outcome == IngestOutcome.Duplicate ? UploadStage.Duplicate : UploadStage.Saved, uploadId: result.UploadId);
            await audit.WriteAsync(AuditActions.MediaUpload, user.Id, true, result.MediaFileId, patientId: patient, details: outcome, ct: ct);
            return TypedResults.Created($"/media/{result.MediaFileId}/original",
                new UploadResponse(result.UploadId, result.MediaFileId, outcome, result.FileName, result.Size, result.Width, result.Height,
                    result.TakenAt is { } taken ? wardClock.ToUtc(taken) : null, result.DurationSeconds));
        }
        catch (IngestRefusedException ex)
        {
            return await RefusedAsync(report, audit, user, patient, ex, ex.Code == "too_large" ? 413 : 422);
        }
    }

    private static async Task<ProblemHttpResult> RefusedAsync(Reporter report, AuditLog audit, CurrentUser user, Guid? patient, IngestRefusedException ex, int status)
    {
        report.Send(UploadStage.Refused, ex.Message);
        await audit.WriteAsync(AuditActions.MediaUpload, user.Id, false, patientId: patient, details: ex.Code);
        return TypedResults.Problem(statusCode: status, title: "File refused", detail: ex.Message,
            extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
    }

    private sealed class Reporter(IMediaEventBus bus, Guid? batch, string key, Guid userId, Guid? patient, bool isVideo)
    {
        public void Send(UploadStage stage, string? message = null, Guid? uploadId = null)
        {
            if (batch is not { } id) return;
            bus.Publish(new UploadProgress(id, key, userId, stage, message, uploadId));
            if (patient is { } p) bus.Publish(new IngestActivity(p, id, key, userId, stage, isVideo));
        }
    }

    private sealed class Progress(Reporter report) : IProgress<IngestStageReport>
    {
        public void Report(IngestStageReport value) => report.Send(value switch
        {
            IngestStageReport.Receiving => UploadStage.Receiving,
            IngestStageReport.Checking => UploadStage.Checking,
            _ => UploadStage.Variants,
        });
    }
}
