using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MediaFiles.Web.Endpoints;

/// <summary>
/// The only way to read a stored file: checks the user may see the patient, writes an audit row,
/// and sets the safe headers (nosniff comes from the app-wide middleware).
/// </summary>
public static class MediaApi
{
    /// <summary>A file response is never a page: no scripts, no frames, nothing but itself.</summary>
    public const string FileCsp = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

    public static void MapMediaApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/{mediaFileId:guid}/{variant}", GetAsync)
            .RequireAuthorization()
            .RequireRateLimiting(Infrastructure.RateLimits.MediaReads)
            .WithName("GetMediaFile").WithTags("Files")
            .WithSummary("One stored file: original, large, medium or thumbnail.")
            .WithParameterDescriptions(
                ("variant", "original, large, medium, thumbnail, or playable (a clip browsers can play)."),
                ("download", "true: sent as an attachment (Content-Disposition) instead of inline."))
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    public static async Task<Results<PhysicalFileHttpResult, StatusCodeHttpResult, NotFound>> GetAsync(
        Guid mediaFileId, string variant, bool? download, HttpContext context, MediaAccess mediaAccess, IMediaStore store,
        AuditLog audit, ILoggerFactory loggers, CancellationToken ct)
    {
        var user = HttpCurrentUser.Require(context);
        if (!Enum.TryParse<MediaVariant>(variant, ignoreCase: true, out var which) || !Enum.IsDefined(which) || int.TryParse(variant, out _))
            return TypedResults.NotFound();

        var readable = await mediaAccess.FindReadableAsync(user, mediaFileId, ct);
        if (readable is null)
        {
            await audit.WriteAsync(AuditActions.MediaRead, user.Id, false, mediaFileId, details: $"{which.ToString().ToLowerInvariant()}:denied", ct: ct);
            return TypedResults.NotFound();
        }

        var file = readable.File;
        var path = BlobFiles.Of(file).Serving(which);
        if (path is null)
            return TypedResults.NotFound();
        if (!store.Exists(path))
        {
            loggers.CreateLogger(typeof(MediaApi)).LogError("Stored file missing for media {MediaFileId} variant {Variant}", file.Id, which);
            await audit.WriteAsync(AuditActions.MediaRead, user.Id, false, file.Id, patientId: readable.PatientId, details: $"{which.ToString().ToLowerInvariant()}:missing", ct: ct);
            return TypedResults.NotFound();
        }

        // A derived file can be written again (regenerate variants after a size change): its length is
        // in the tag so browsers do not keep the old one. The original never changes.
        var version = path == file.FilePath ? "" : $"-{store.Length(path)}";
        var etag = new EntityTagHeaderValue($"\"{file.Sha256}-{which.ToString().ToLowerInvariant()}{version}\"");
        var headers = context.Response.Headers;
        // Nothing of a patient stays in the browser's disk cache of a shared ward PC (design decision 7).
        headers.CacheControl = "private, no-store";
        headers.ContentSecurityPolicy = FileCsp;
        headers.ContentDisposition = Disposition(file.OriginalFilename, which, download == true);

        var notModified = context.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false) || t.Equals(EntityTagHeaderValue.Any));
        await audit.WriteAsync(AuditActions.MediaRead, user.Id, true, file.Id, patientId: readable.PatientId,
            details: $"{which.ToString().ToLowerInvariant()}{(download == true ? ":download" : "")}{(notModified ? ":not_modified" : "")}", ct: ct);
        if (notModified)
        {
            headers.ETag = etag.ToString();
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var mime = which switch
        {
            MediaVariant.Original => file.MimeType,
            MediaVariant.Playable => path == file.FilePath ? file.MimeType : "video/mp4",
            _ => "image/jpeg",
        };
        return TypedResults.PhysicalFile(store.FullPath(path), mime, lastModified: file.CreatedAt, entityTag: etag, enableRangeProcessing: true);
    }

    /// <summary>The sanitized original name; variants get a suffix and the .jpg they are.</summary>
    internal static string Disposition(string originalName, MediaVariant variant, bool attachment)
    {
        var name = variant switch
        {
            MediaVariant.Original => originalName,
            MediaVariant.Playable => $"{Path.GetFileNameWithoutExtension(originalName)}-playable.mp4",
            _ => $"{Path.GetFileNameWithoutExtension(originalName)}-{variant.ToString().ToLowerInvariant()}.jpg",
        };
        var value = new ContentDispositionHeaderValue(attachment ? "attachment" : "inline");
        value.SetHttpFileName(name);
        return value.ToString();
    }
}
