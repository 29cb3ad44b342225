using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Series;
using MediaFiles.Web.Auth;

namespace MediaFiles.Web.Endpoints;

/// <summary>
/// Maps the Core's operation exceptions to problem responses with the user-facing message. A
/// refusal for access (not found / not allowed) is also an audit row: someone asked for something
/// they may not have, e.g. another ward's ids.
/// </summary>
public sealed class OperationErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (NotFoundException ex)
        {
            await AuditDeniedAsync(context.HttpContext, 404);
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: ex.Message);
        }
        catch (ForbiddenException ex)
        {
            await AuditDeniedAsync(context.HttpContext, 403);
            return TypedResults.Problem(statusCode: 403, title: "Not allowed", detail: ex.Message);
        }
        catch (StaleSeriesException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: "Changed by someone else", detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["currentVersion"] = ex.CurrentVersion });
        }
        catch (ValidationException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid request", detail: ex.Message);
        }
    }

    /// <summary>The route pattern, status and the id asked for; never the body (it may hold patient data).</summary>
    private static Task AuditDeniedAsync(HttpContext http, int status)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "?";
        var target = http.Request.RouteValues.Values.OfType<string>().Select(v => Guid.TryParse(v, out var g) ? g : (Guid?)null).FirstOrDefault(g => g is not null);
        Guid? patient = http.Request.RouteValues.TryGetValue("patientId", out var p) && Guid.TryParse(p as string, out var pid) ? pid : null;
        return http.RequestServices.GetRequiredService<AuditLog>().WriteAsync(AuditActions.Denied, MediaFilesClaims.ToCurrentUser(http.User)?.Id, false,
            patientId: patient, details: $"{http.Request.Method} {route} {status} {target}".TrimEnd());
    }
}
