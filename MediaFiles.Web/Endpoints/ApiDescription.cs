using MediaFiles.Core.Domain;
using MediaFiles.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MediaFiles.Web.Endpoints;

/// <summary>
/// The API described: the OpenAPI document at <see cref="DocumentPath"/> (signed-in users) and the
/// Scalar reference page at <see cref="ReferencePath"/> (admins), both served from this app alone.
/// </summary>
public static class ApiDescription
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-reference";
    public const string AntiforgeryHeader = "RequestVerificationToken";
    public const string CookieScheme = "cookie";

    /// <summary>
    /// The reference page's Content-Security-Policy: the page policy, plus the per-request nonce of
    /// Scalar's inline start-up script. Scripts, styles, fonts and calls stay on this origin.
    /// </summary>
    public static string ReferenceCsp(string nonce) =>
        Extensions.PageCsp.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal);

    public static void AddMediaFilesOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer(DescribeDocument);
            o.AddOperationTransformer(DescribeSecurity);
        });

    public static void MapApiDescription(this WebApplication app)
    {
        // Any signed-in user: it lists routes and shapes, no patient data, and every route still checks its own rules.
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization();

        // The page's own CSP carries Scalar's nonce; set before the app-wide header middleware would add the page CSP.
        app.UseWhen(c => c.Request.Path.StartsWithSegments(ReferencePath), branch => branch.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
                    context.Response.Headers.ContentSecurityPolicy = ReferenceCsp(nonce);
                return Task.CompletedTask;
            });
            return next(context);
        }));
        app.MapScalarApiReference(ReferencePath, o =>
            {
                o.WithTitle("MediaFiles API")
                    .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                    .AddDocument(DocumentName)
                    .WithNonce()
                    .DisableDefaultFonts() // the default fonts come from Scalar's CDN
                    .DisableTelemetry()
                    .DisableAgent()
                    .DisableMcp();
            })
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "MediaFiles API";
        document.Info.Description =
            "Clinical photos, photo series and video clips of a hospital's patients. Sign in in the browser (the mediafiles.auth cookie); " +
            $"every POST, PUT, PATCH and DELETE needs the token of GET /api/antiforgery in the {AntiforgeryHeader} header. " +
            "Errors are RFC 9457 problem details. Anything on a patient the caller may not see answers 404. See docs/api.md.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = AuthSetup.CookieName,
            Description = "The sign-in cookie, set by the OpenID Connect sign-in (or POST /auth/dev/signin in Development mode).",
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Per operation: the cookie when it needs a signed-in user (and its 401), and the antiforgery
    /// header when it changes state.
    /// </summary>
    private static Task DescribeSecurity(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (signedIn)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] }];
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Not signed in (empty body)." });
        }

        if (context.Description.HttpMethod is not ("POST" or "PUT" or "PATCH" or "DELETE"))
            return Task.CompletedTask;
        var isForm = operation.RequestBody?.Content?.ContainsKey("application/x-www-form-urlencoded") == true;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = AntiforgeryHeader,
            In = ParameterLocation.Header,
            Required = !isForm,
            Description = "The token of GET /api/antiforgery (fetched after sign-in), sent with the antiforgery cookie that call set." +
                (isForm ? " A form may send it as the __RequestVerificationToken field instead." : ""),
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        operation.Responses ??= [];
        if (!operation.Responses.ContainsKey("400"))
            operation.Responses["400"] = new OpenApiResponse { Description = "Missing or invalid antiforgery token (problem details)." };
        return Task.CompletedTask;
    }

    /// <summary>Descriptions of an operation's parameters (route, query or header) in the OpenAPI document.</summary>
    public static TBuilder WithParameterDescriptions<TBuilder>(this TBuilder builder, params (string Name, string Description)[] parameters)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
                foreach (var (name, description) in parameters)
                    if (string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase))
                        parameter.Description = description;
            return Task.CompletedTask;
        });

    /// <summary>
    /// The raw request body the handler reads itself, in the document only. (<c>Accepts</c> would be
    /// routing metadata: other content types would get the matcher's 415 before the handler's own answer.)
    /// </summary>
    public static TBuilder WithRawBody<TBuilder>(this TBuilder builder, params string[] contentTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The file's bytes, with its own Content-Type.",
                Content = contentTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
            };
            return Task.CompletedTask;
        });

    /// <summary>A request header the handler reads itself (so the document does not see it).</summary>
    public static TBuilder WithHeaderParameter<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });
}
