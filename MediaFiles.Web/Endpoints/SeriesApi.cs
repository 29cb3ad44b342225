using System.IO.Compression;
using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Series;
using MediaFiles.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MediaFiles.Web.Endpoints;

/// <summary>Photo series: create from staged uploads, reorder, add, remove, caption, delete, ZIP.</summary>
public static class SeriesApi
{
    public static void MapSeriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMediaFilesApi().WithTags("Photo series");

        api.MapPost("/patients/{patientId:guid}/series", CreateSeries).WithName(nameof(CreateSeries))
            .WithSummary("Create a series from staged uploads, in the order given.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/series/{seriesId:guid}", GetSeries).WithName(nameof(GetSeries))
            .WithSummary("One series with its photos in order and its version.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/series/{seriesId:guid}", UpdateSeries).WithName(nameof(UpdateSeries))
            .WithSummary("Caption and time (creator, within 24 h).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/series/{seriesId:guid}", DeleteSeries).WithName(nameof(DeleteSeries))
            .WithSummary("Delete the series (creator within 24 h, or an admin).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/series/{seriesId:guid}/moves", Move).WithName(nameof(Move))
            .WithSummary("Move the photo at position From to position To (1-based). 409 when Version is stale.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/series/{seriesId:guid}/files", AddFiles).WithName(nameof(AddFiles))
            .WithSummary("Append staged uploads at the end.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPatch("/series/{seriesId:guid}/files/{itemId:guid}", SetItemCaption).WithName(nameof(SetItemCaption))
            .WithSummary("Caption of one photo of the series.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/series/{seriesId:guid}/files/{itemId:guid}", RemoveFile).WithName(nameof(RemoveFile))
            .WithSummary("Remove one photo; the gap closes.")
            .WithParameterDescriptions(("version", "The series version the caller last saw (409 when stale)."))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/uploads/discard", Discard).WithName(nameof(Discard))
            .WithSummary("Give up staged uploads (a cancelled series).");
        api.MapGet("/series/{seriesId:guid}/zip", DownloadZip).WithName(nameof(DownloadZip))
            .RequireRateLimiting(Infrastructure.RateLimits.MediaReads)
            .WithSummary("The series as a ZIP, streamed; entries 01_name.jpg in order.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    public sealed record CreateSeriesRequest(IReadOnlyList<Guid> UploadIds, string? Caption, DateTime? EventDateTime);
    /// <param name="EventDateTime">Left out: the time stays as it is.</param>
    public sealed record UpdateSeriesRequest(string? Caption, DateTime? EventDateTime);
    public sealed record MoveRequest(int From, int To, int Version);
    public sealed record AddFilesRequest(IReadOnlyList<Guid> UploadIds, int Version);
    public sealed record CaptionRequest(string? Caption);
    public sealed record DiscardRequest(IReadOnlyList<Guid> UploadIds);
    public sealed record VersionResponse(int Version);
    public sealed record CreatedSeries(Guid Id);

    public static async Task<Created<CreatedSeries>> CreateSeries(Guid patientId, CreateSeriesRequest body, HttpContext context, PhotoSeriesService series, CancellationToken ct)
    {
        var id = await series.CreateAsync(HttpCurrentUser.Require(context), patientId, body.UploadIds ?? [], body.Caption, body.EventDateTime, ct);
        return TypedResults.Created($"/api/series/{id}", new CreatedSeries(id));
    }

    public static async Task<Ok<SeriesDetail>> GetSeries(Guid seriesId, HttpContext context, SeriesQuery query, CancellationToken ct) =>
        TypedResults.Ok(await query.GetAsync(HttpCurrentUser.Require(context), seriesId, ct));

    public static async Task<NoContent> UpdateSeries(Guid seriesId, UpdateSeriesRequest body, HttpContext context, PhotoSeriesService series, CancellationToken ct)
    {
        await series.UpdateAsync(HttpCurrentUser.Require(context), seriesId, body.Caption, body.EventDateTime, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DeleteSeries(Guid seriesId, HttpContext context, PhotoSeriesService series, CancellationToken ct)
    {
        await series.DeleteAsync(HttpCurrentUser.Require(context), seriesId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<VersionResponse>> Move(Guid seriesId, MoveRequest body, HttpContext context, PhotoSeriesService series, CancellationToken ct) =>
        TypedResults.Ok(new VersionResponse(await series.MoveAsync(HttpCurrentUser.Require(context), seriesId, body.From, body.To, body.Version, ct)));

    public static async Task<Ok<VersionResponse>> AddFiles(Guid seriesId, AddFilesRequest body, HttpContext context, PhotoSeriesService series, CancellationToken ct) =>
        TypedResults.Ok(new VersionResponse(await series.AddAsync(HttpCurrentUser.Require(context), seriesId, body.UploadIds ?? [], body.Version, ct)));

    public static async Task<NoContent> SetItemCaption(Guid seriesId, Guid itemId, CaptionRequest body, HttpContext context, PhotoSeriesService series, CancellationToken ct)
    {
        await series.SetItemCaptionAsync(HttpCurrentUser.Require(context), seriesId, itemId, body.Caption, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<VersionResponse>> RemoveFile(Guid seriesId, Guid itemId, int version, HttpContext context, PhotoSeriesService series, CancellationToken ct) =>
        TypedResults.Ok(new VersionResponse(await series.RemoveAsync(HttpCurrentUser.Require(context), seriesId, itemId, version, ct)));

    public static async Task<NoContent> Discard(DiscardRequest body, HttpContext context, StagedUploadService staged, CancellationToken ct)
    {
        await staged.DiscardAsync(HttpCurrentUser.Require(context), body.UploadIds ?? [], ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Streams the originals into a ZIP written straight to the response: nothing is built in memory
    /// or in a temp file. JPEG/PNG/WebP are compressed already, so entries are stored.
    /// </summary>
    public static async Task<EmptyHttpResult> DownloadZip(Guid seriesId, HttpContext context, SeriesQuery query, IMediaStore store, AuditLog audit, CancellationToken ct)
    {
        var user = HttpCurrentUser.Require(context);
        var series = await query.GetAsync(user, seriesId, ct);
        var paths = await query.OriginalPathsAsync(seriesId, ct);
        await audit.WriteAsync(AuditActions.SeriesZip, user.Id, true, eventId: series.Id, patientId: series.PatientId, details: $"files:{series.Items.Count}", ct: ct);

        var headers = context.Response.Headers;
        context.Response.ContentType = "application/zip";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"photo-series-{series.EventDateTime:yyyy-MM-dd}.zip");
        headers.ContentDisposition = disposition.ToString();
        headers.CacheControl = "private, no-store";
        headers.ContentSecurityPolicy = MediaApi.FileCsp;

        // ZipArchive still writes an entry's header synchronously when its stream closes, even on the
        // async path; allow that for this response only (each write is one small header).
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } bodyControl)
            bodyControl.AllowSynchronousIO = true;
        await using var zip = await ZipArchive.CreateAsync(context.Response.Body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        foreach (var item in series.Items)
        {
            var entry = zip.CreateEntry(SeriesZipNames.Entry(item.OrderIndex, series.Items.Count, item.OriginalFilename), CompressionLevel.NoCompression);
            entry.LastWriteTime = series.EventDateTime;
            await using var target = await entry.OpenAsync(ct);
            await using var source = store.OpenRead(paths[item.MediaFileId]);
            await source.CopyToAsync(target, ct);
        }
        return TypedResults.Empty;
    }
}
