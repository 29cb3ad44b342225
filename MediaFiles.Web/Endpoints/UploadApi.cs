using MediaFiles.Core.Access;
using MediaFiles.Core.Ingest;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaFiles.Web.Endpoints;

/// <summary>
/// The streaming upload: the browser POSTs one file's bytes as the raw body. HTTP in, HTTP out:
/// everything else (access, the ingest, audit, the stages on the bus) is the Core's UploadService.
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
            .WithSummary("Stream one file (raw body) into a staged upload; attach it with POST /api/patients/{id}/photos, /series or /videos. kind=series takes photos only; otherwise the bytes decide photo or clip.")
            .WithDescription("The body is the file's bytes with its own Content-Type, not a form (415). Refusals carry a `code` extension: too_large (413) or why the file is not accepted (422).")
            .WithRawBody("image/jpeg", "image/png", "image/webp", "video/mp4", "video/quicktime", "video/webm", "application/octet-stream")
            .WithHeaderParameter(FileNameHeader, "The original file name, percent-encoded; kept (sanitized) in the database only.")
            .WithParameterDescriptions(
                ("kind", "series: the file is for a photo series, so clips are refused. Anything else (photo, video, left out): the bytes decide photo or clip; the reply says which."),
                ("patient", "The patient the file is for: checked before a byte is read (404 when not one the caller may add media to)."),
                ("batch", "The drop zone's id for live progress on the event bus; scripts leave it out."),
                ("key", "The drop zone's key of this file within the batch; scripts leave it out."))
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <param name="Kind">What the bytes are: photo or video (sniffed; the kind asked for is only a hint).</param>
    /// <param name="CapturedAt">When the camera took it (UTC), if the file says: the event time when none is picked.</param>
    /// <param name="DurationSeconds">A video's length.</param>
    public sealed record UploadResponse(Guid UploadId, Guid MediaFileId, string Outcome, string Kind, string FileName, long Size, int? Width, int? Height,
        DateTime? CapturedAt, double? DurationSeconds = null);

    /// <param name="kind">series: the file goes into a photo series, so clips are refused. Anything else (photo, video, none): the bytes decide.</param>
    /// <param name="patient">The patient the upload is for: checked first, and reviewers of that patient see it arrive.</param>
    /// <param name="batch">The uploading page's id, with <paramref name="key"/> the file's: its stages are published on the bus for that page.</param>
    public static async Task<Results<Created<UploadResponse>, ProblemHttpResult>> UploadAsync(
        HttpContext context, UploadService uploads, Guid? batch, string? key, string? kind, Guid? patient, CancellationToken ct)
    {
        var request = context.Request;
        // The service stops reading at the limit + 1 byte and refuses with its own message; Kestrel's
        // 30 MB default (or a tighter limit) would cut in first on a chunked body and answer without one.
        var bodyLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodyLimit is { IsReadOnly: false }) bodyLimit.MaxRequestBodySize = null;

        var upload = new UploadRequest(Uri.UnescapeDataString(request.Headers[FileNameHeader].ToString()), request.ContentType, request.ContentLength,
            ForSeries: kind == "series", PatientId: patient, BatchId: batch, FileKey: key ?? "");
        try
        {
            var result = await uploads.UploadAsync(HttpCurrentUser.Require(context), request.Body, upload, ct);
            return TypedResults.Created($"/media/{result.MediaFileId}/original",
                new UploadResponse(result.UploadId, result.MediaFileId, result.Outcome == IngestOutcome.Duplicate ? "duplicate" : "saved",
                    result.Kind == MediaKind.Video ? "video" : "photo", result.FileName, result.Size, result.Width, result.Height,
                    result.CapturedAt, result.DurationSeconds));
        }
        catch (ForbiddenException ex)
        {
            return TypedResults.Problem(statusCode: 403, title: "Not allowed", detail: ex.Message);
        }
        catch (NotFoundException ex)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: ex.Message);
        }
        catch (IngestRefusedException ex)
        {
            return TypedResults.Problem(statusCode: ex.Code == "too_large" ? 413 : 422, title: "File refused", detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
        }
    }
}
