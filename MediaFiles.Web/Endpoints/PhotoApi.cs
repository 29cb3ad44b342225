using MediaFiles.Core.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Web.Endpoints;

/// <summary>Patients, their timelines and Photo events, as JSON for scripts and integrations.</summary>
public static class PhotoApi
{
    public static void MapPhotoApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMediaFilesApi().WithTags("Patients and photos");

        api.MapGet("/patients", SearchPatients).WithName(nameof(SearchPatients))
            .WithSummary("Patients the user may see (AccessPolicy), optionally filtered by name or bed.")
            .WithParameterDescriptions(("search", "Part of the patient's name or bed; left out: all patients the caller may see."));
        api.MapGet("/patients/{patientId:guid}/timeline", GetTimeline).WithName(nameof(GetTimeline))
            .WithSummary("The patient's media events, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/patients/{patientId:guid}/photos", CreatePhoto).WithName(nameof(CreatePhoto))
            .WithSummary("Attach a staged upload as a Photo event.")
            .WithDescription("The upload must be an image the caller staged with POST /api/uploads and not yet attached. 404 also when the upload has expired.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/photos/{photoId:guid}", GetPhoto).WithName(nameof(GetPhoto))
            .WithSummary("One photo event with its file facts.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/photos/{photoId:guid}", UpdatePhoto).WithName(nameof(UpdatePhoto))
            .WithSummary("Edit description and time (the creator within 24 h, or an admin).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/photos/{photoId:guid}", DeletePhoto).WithName(nameof(DeletePhoto))
            .WithSummary("Delete (the creator within 24 h, or an admin).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public sealed record CreatePhotoRequest(Guid UploadId, string? Description, DateTime? EventDateTime);
    /// <param name="EventDateTime">Left out: the time stays as it is.</param>
    public sealed record UpdatePhotoRequest(string? Description, DateTime? EventDateTime);
    public sealed record CreatedPhoto(Guid Id);

    public static async Task<Ok<IReadOnlyList<PatientSummary>>> SearchPatients(string? search, HttpContext context, PatientDirectory patients, CancellationToken ct) =>
        TypedResults.Ok(await patients.SearchAsync(HttpCurrentUser.Require(context), search, ct));

    public static async Task<Ok<IReadOnlyList<TimelineItem>>> GetTimeline(Guid patientId, HttpContext context, TimelineQuery timeline, CancellationToken ct) =>
        TypedResults.Ok(await timeline.GetAsync(HttpCurrentUser.Require(context), patientId, ct));

    public static async Task<Created<CreatedPhoto>> CreatePhoto(Guid patientId, CreatePhotoRequest body, HttpContext context, PhotoService photos, CancellationToken ct)
    {
        var id = await photos.CreateAsync(HttpCurrentUser.Require(context), patientId, body.UploadId, body.Description, body.EventDateTime, ct);
        return TypedResults.Created($"/api/photos/{id}", new CreatedPhoto(id));
    }

    public static async Task<Ok<PhotoDetail>> GetPhoto(Guid photoId, HttpContext context, TimelineQuery timeline, CancellationToken ct) =>
        TypedResults.Ok(await timeline.GetPhotoAsync(HttpCurrentUser.Require(context), photoId, ct));

    public static async Task<NoContent> UpdatePhoto(Guid photoId, UpdatePhotoRequest body, HttpContext context, PhotoService photos, CancellationToken ct)
    {
        await photos.UpdateAsync(HttpCurrentUser.Require(context), photoId, body.Description, body.EventDateTime, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DeletePhoto(Guid photoId, HttpContext context, PhotoService photos, CancellationToken ct)
    {
        await photos.DeleteAsync(HttpCurrentUser.Require(context), photoId, ct);
        return TypedResults.NoContent();
    }
}
