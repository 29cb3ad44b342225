namespace MediaFiles.Web.Endpoints;

/// <summary>
/// The upload takes the file's bytes as the request body. A form post is refused before anything
/// reads it, so nobody (the antiforgery check included) buffers a multi-megabyte form.
/// </summary>
public sealed class RawBodyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Request.HasFormContentType)
            return ValueTask.FromResult<object?>(TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the file itself",
                detail: "Send the file's bytes as the request body with its own type (Content-Type: image/jpeg, image/png or image/webp), not as a form."));
        return next(context);
    }
}
