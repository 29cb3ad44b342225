using MediaFiles.Core.Domain;
using MediaFiles.Core.Review;
using MediaFiles.Core.Trash;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaFiles.Web.Endpoints;

/// <summary>The review feed and marks (reviewers, admins), and the trash of deleted entries (admins).</summary>
public static class ReviewApi
{
    public static void MapReviewApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMediaFilesApi().WithTags("Review and trash");

        api.MapGet("/review/feed", GetFeed).WithName(nameof(GetFeed))
            .WithSummary("Newest media of the reviewer's patients, newest upload first; filter by wardId, patientId, type (3, 9, 10), notReviewed, openFlags.")
            .WithParameterDescriptions(
                ("wardId", "Only patients of this ward."),
                ("patientId", "Only this patient."),
                ("type", "Event type: 3 photo, 9 photo series, 10 video clip."),
                ("notReviewed", "true: only entries nobody has marked yet."),
                ("openFlags", "true: only entries flagged and not yet resolved."),
                ("take", "How many entries (1–200, default 60)."))
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/events/{eventId:guid}/review", Mark).WithName(nameof(Mark))
            .WithSummary("Mark a timeline entry reviewed, or flag it with a note (reviewers and admins). Audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/events/{eventId:guid}/flag/replies", ReplyToFlag).WithName(nameof(ReplyToFlag))
            .WithSummary("Answer the entry's open flag (ward staff and admins who see the patient). Audited; the reviewer sees it live.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/events/{eventId:guid}/flag/resolve", ResolveFlag).WithName(nameof(ResolveFlag))
            .WithSummary("Resolve the entry's open flag, saying who and when (ward staff, reviewers and admins who see the patient). Audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/trash", GetTrash).WithName(nameof(GetTrash))
            .WithSummary("Deleted entries an admin can still restore.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/events/{eventId:guid}/restore", Restore).WithName(nameof(Restore))
            .WithSummary("Restore a deleted entry within the retention (admins). Audited.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public sealed record MarkRequest(ReviewKind Kind, string? Note);

    public static async Task<Ok<IReadOnlyList<ReviewFeedItem>>> GetFeed(HttpContext context, ReviewFeedQuery feed,
        Guid? wardId, Guid? patientId, EventType? type, bool? notReviewed, bool? openFlags, int? take, CancellationToken ct) =>
        TypedResults.Ok(await feed.GetAsync(HttpCurrentUser.Require(context), new ReviewFilter(wardId, patientId, type, notReviewed ?? false, openFlags ?? false),
            Math.Clamp(take ?? ReviewFeedQuery.DefaultTake, 1, 200), ct));

    public static async Task<Ok<ReviewState>> Mark(Guid eventId, MarkRequest body, HttpContext context, ReviewService reviews, CancellationToken ct) =>
        TypedResults.Ok(await reviews.MarkAsync(HttpCurrentUser.Require(context), eventId, body.Kind, body.Note, ct));

    public sealed record FlagReplyRequest(string? Text);

    public static async Task<Ok<ReviewState>> ReplyToFlag(Guid eventId, FlagReplyRequest body, HttpContext context, ReviewService reviews, CancellationToken ct) =>
        TypedResults.Ok(await reviews.ReplyAsync(HttpCurrentUser.Require(context), eventId, body.Text, ct));

    public static async Task<Ok<ReviewState>> ResolveFlag(Guid eventId, HttpContext context, ReviewService reviews, CancellationToken ct) =>
        TypedResults.Ok(await reviews.ResolveAsync(HttpCurrentUser.Require(context), eventId, ct));

    public static async Task<Ok<IReadOnlyList<DeletedItem>>> GetTrash(HttpContext context, DeletedEvents trash, CancellationToken ct) =>
        TypedResults.Ok(await trash.ListAsync(HttpCurrentUser.Require(context), ct));

    public static async Task<NoContent> Restore(Guid eventId, HttpContext context, DeletedEvents trash, CancellationToken ct)
    {
        await trash.RestoreAsync(HttpCurrentUser.Require(context), eventId, ct);
        return TypedResults.NoContent();
    }
}
