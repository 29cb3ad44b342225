using MediaFiles.Core.Video;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaFiles.Web.Endpoints;

/// <summary>Video clips (event type 10): attach a staged upload, read, edit, delete.</summary>
public static class VideoApi
{
    public static void MapVideoApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMediaFilesApi().WithTags("Video clips");

        api.MapPost("/patients/{patientId:guid}/videos", CreateClip).WithName(nameof(CreateClip))
            .WithSummary("Attach a staged video upload as a VideoClip event.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/videos/{clipId:guid}", GetClip).WithName(nameof(GetClip))
            .WithSummary("The clip, with its playable state (original, queued, running + percent, ready, failed + why).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/videos/{clipId:guid}", UpdateClip).WithName(nameof(UpdateClip))
            .WithSummary("Caption and time (creator, within 24 h).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/videos/{clipId:guid}", DeleteClip).WithName(nameof(DeleteClip))
            .WithSummary("Delete the clip (creator within 24 h, or an admin).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public sealed record CreateClipRequest(Guid UploadId, string? Caption, DateTime? EventDateTime);
    public sealed record UpdateClipRequest(string? Caption, DateTime? EventDateTime);
    public sealed record CreatedClip(Guid Id);

    public static async Task<Created<CreatedClip>> CreateClip(Guid patientId, CreateClipRequest body, HttpContext context, VideoClipService clips, CancellationToken ct)
    {
        var id = await clips.CreateAsync(HttpCurrentUser.Require(context), patientId, body.UploadId, body.Caption, body.EventDateTime, ct);
        return TypedResults.Created($"/api/videos/{id}", new CreatedClip(id));
    }

    public static async Task<Ok<VideoDetail>> GetClip(Guid clipId, HttpContext context, VideoClipService clips, CancellationToken ct) =>
        TypedResults.Ok(await clips.GetAsync(HttpCurrentUser.Require(context), clipId, ct));

    public static async Task<NoContent> UpdateClip(Guid clipId, UpdateClipRequest body, HttpContext context, VideoClipService clips, CancellationToken ct)
    {
        await clips.UpdateAsync(HttpCurrentUser.Require(context), clipId, body.Caption, body.EventDateTime, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DeleteClip(Guid clipId, HttpContext context, VideoClipService clips, CancellationToken ct)
    {
        await clips.DeleteAsync(HttpCurrentUser.Require(context), clipId, ct);
        return TypedResults.NoContent();
    }
}
