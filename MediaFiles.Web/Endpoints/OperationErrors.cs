using MediaFiles.Core.Access;
using MediaFiles.Core.Series;

namespace MediaFiles.Web.Endpoints;

/// <summary>Maps the Core's operation exceptions to problem responses with the user-facing message.</summary>
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
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: ex.Message);
        }
        catch (ForbiddenException ex)
        {
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
}
