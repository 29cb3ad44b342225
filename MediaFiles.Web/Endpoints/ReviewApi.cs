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
        var api = app.MapMediaFilesApi();

        api.MapGet("/review/feed", GetFeed)
            .WithSummary("Newest media of the reviewer's patients, newest upload first; filter by wardId, patientId, type (3, 9, 10), notReviewed.");
        api.MapPost("/events/{eventId:guid}/review", Mark)
            .WithSummary("Mark a timeline entry reviewed, or flag it with a note (reviewers and admins). Audited.");
        api.MapGet("/trash", GetTrash).WithSummary("Deleted entries an admin can still restore.");
        api.MapPost("/events/{eventId:guid}/restore", Restore).WithSummary("Restore a deleted entry within the retention (admins). Audited.");
    }

    public sealed record MarkRequest(ReviewKind Kind, string? Note);

    public static async Task<Ok<IReadOnlyList<ReviewFeedItem>>> GetFeed(HttpContext context, ReviewFeedQuery feed,
        Guid? wardId, Guid? patientId, EventType? type, bool? notReviewed, int? take, CancellationToken ct) =>
        TypedResults.Ok(await feed.GetAsync(HttpCurrentUser.Require(context), new ReviewFilter(wardId, patientId, type, notReviewed ?? false),
            Math.Clamp(take ?? ReviewFeedQuery.DefaultTake, 1, 200), ct));

    public static async Task<Ok<ReviewState>> Mark(Guid eventId, MarkRequest body, HttpContext context, ReviewService reviews, CancellationToken ct) =>
        TypedResults.Ok(await reviews.MarkAsync(HttpCurrentUser.Require(context), eventId, body.Kind, body.Note, ct));

    public static async Task<Ok<IReadOnlyList<DeletedItem>>> GetTrash(HttpContext context, DeletedEvents trash, CancellationToken ct) =>
        TypedResults.Ok(await trash.ListAsync(HttpCurrentUser.Require(context), ct));

    public static async Task<NoContent> Restore(Guid eventId, HttpContext context, DeletedEvents trash, CancellationToken ct)
    {
        await trash.RestoreAsync(HttpCurrentUser.Require(context), eventId, ct);
        return TypedResults.NoContent();
    }
}
