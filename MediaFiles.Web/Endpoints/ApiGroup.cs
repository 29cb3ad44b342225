namespace MediaFiles.Web.Endpoints;

public static class ApiGroup
{
    /// <summary>
    /// The /api group every JSON endpoint of the app lives in: signed-in users only, the
    /// antiforgery check on every state-changing call, and the Core's exceptions as problem
    /// responses (404/403 audited).
    /// </summary>
    public static RouteGroupBuilder MapMediaFilesApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api")
            .RequireAuthorization()
            .AddEndpointFilter<AntiforgeryFilter>()
            .AddEndpointFilter<OperationErrorFilter>();
}
