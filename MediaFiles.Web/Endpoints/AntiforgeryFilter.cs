using Microsoft.AspNetCore.Antiforgery;

namespace MediaFiles.Web.Endpoints;

/// <summary>
/// Refuses an unsafe request (POST, PATCH, DELETE…) that lacks a valid antiforgery token, in the
/// RequestVerificationToken header or the form. Raw-body endpoints such as the upload are not
/// covered by the framework's form-binding check, so every API group states it with this filter.
/// </summary>
public sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        bool valid;
        try
        {
            valid = await antiforgery.IsRequestValidAsync(context.HttpContext);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException or Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException)
        {
            valid = false; // a body that claims to be a form but is not one
        }
        if (!valid)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token",
                detail: "Send the token from GET /api/antiforgery in the RequestVerificationToken header, with the cookie it set.");
        return await next(context);
    }
}
