using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Web;

/// <summary>The OpenAPI document describes every /api route; the Scalar reference page is for admins and loads nothing from elsewhere.</summary>
public sealed partial class OpenApiTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    private static readonly string[] StateChanging = ["post", "put", "patch", "delete"];

    private async Task<JsonElement> DocumentAsync()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var response = await nurse.Http.GetAsync(ApiDescription.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task The_document_is_OpenAPI_3_for_any_signed_in_user()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        Assert.Equal("MediaFiles API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("cookie", document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiDescription.CookieScheme)
            .GetProperty("in").GetString());
    }

    [Fact]
    public async Task Every_api_route_the_app_maps_is_in_the_document_with_its_methods()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            // An explicit ExcludeFromDescription is a decision; forgetting to describe a route is what this test catches.
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any)"])
                .Select(m => (Path: DocumentPathOf(e.RoutePattern.RawText!), Method: m.ToLowerInvariant())))
            .ToList();

        Assert.NotEmpty(routes);
        Assert.Contains(("/api/patients", "get"), routes);
        var missing = routes.Where(r => !paths.TryGetProperty(r.Path, out var item) || !item.TryGetProperty(r.Method, out _))
            .Select(r => $"{r.Method.ToUpperInvariant()} {r.Path}").ToList();
        Assert.True(missing.Count == 0, "Not in /openapi/v1.json: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task State_changing_operations_declare_the_antiforgery_header()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var unsafeOperations = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => StateChanging.Contains(o.Name)).Select(o => (Name: $"{o.Name} {p.Name}", Operation: o.Value)))
            .ToList();
        Assert.Contains(unsafeOperations, o => o.Name == "post /api/uploads");
        foreach (var (name, operation) in unsafeOperations)
            Assert.True(operation.TryGetProperty("parameters", out var parameters)
                && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == ApiDescription.AntiforgeryHeader && p.GetProperty("in").GetString() == "header"),
                $"{name} does not declare the {ApiDescription.AntiforgeryHeader} header");

        var get = paths.GetProperty("/api/patients").GetProperty("get");
        Assert.False(get.TryGetProperty("parameters", out var getParameters)
            && getParameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == ApiDescription.AntiforgeryHeader));
    }

    [Fact]
    public async Task Operations_have_summaries_parameters_and_problem_responses()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        var upload = paths.GetProperty("/api/uploads").GetProperty("post");
        Assert.Contains("staged upload", upload.GetProperty("summary").GetString());
        Assert.Equal(["Uploads"], upload.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        foreach (var status in new[] { "403", "404", "413", "415", "422", "429" })
            Assert.True(upload.GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), $"upload {status}");
        Assert.Contains(upload.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == UploadApi.FileNameHeader && p.GetProperty("in").GetString() == "header");
        Assert.Contains(upload.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "kind" && p.GetProperty("description").GetString()!.Contains("video"));

        var move = paths.GetProperty("/api/series/{seriesId}/moves").GetProperty("post");
        Assert.Equal("Move", move.GetProperty("operationId").GetString());
        Assert.True(move.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(move.GetProperty("responses").TryGetProperty("401", out _));

        var photo = paths.GetProperty("/api/photos/{photoId}").GetProperty("get");
        Assert.False(string.IsNullOrWhiteSpace(photo.GetProperty("summary").GetString()));
        Assert.True(photo.GetProperty("responses").TryGetProperty("404", out _));
        Assert.Contains(photo.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "photoId" && p.GetProperty("in").GetString() == "path");
        Assert.Equal(ApiDescription.CookieScheme, photo.GetProperty("security")[0].EnumerateObject().Single().Name);

        // The token endpoint is for anonymous callers too: no security requirement.
        var token = paths.GetProperty("/api/antiforgery").GetProperty("get");
        Assert.True(!token.TryGetProperty("security", out var security) || security.GetArrayLength() == 0);
    }

    [Fact]
    public async Task Anonymous_callers_get_neither_the_document_nor_the_page()
    {
        using var anonymous = app.CreateCookieClient();

        using var document = await anonymous.GetAsync(ApiDescription.DocumentPath);
        Assert.Equal(HttpStatusCode.Unauthorized, document.StatusCode);

        using var page = await anonymous.GetAsync(ApiDescription.ReferencePath);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/signin", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_reference_page_is_refused_to_a_nurse()
    {
        using var nurse = await app.SignInAsync("nurse");

        // Pages answer a refusal by redirecting to the access-denied page (the cookie handler's 403).
        using var page = await nurse.Http.GetAsync(ApiDescription.ReferencePath + "/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/denied", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_reference_page_works_for_an_admin_from_this_origin_alone()
    {
        using var admin = await app.SignInAsync("admin");

        using var page = await admin.Http.GetAsync(ApiDescription.ReferencePath + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        // No other origin (no CDN): not even a protocol-relative URL.
        Assert.DoesNotMatch(@"(https?:)?//", html);

        // Its scripts load from this app, and only they (with the page's nonce) may run.
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Equal($"script-src 'self' 'nonce-{nonce}'", csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal)));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Contains($"nonce=\"{nonce}\"", s));
        foreach (var src in scripts.Select(s => ScriptSrc().Match(s)).Where(m => m.Success).Select(m => m.Groups[1].Value))
        {
            using var script = await admin.Http.GetAsync(new Uri(new Uri("http://localhost" + ApiDescription.ReferencePath + "/"), src));
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{src}: {(int)script.StatusCode}");
        }
    }

    /// <summary>A route template as the document writes it: <c>{id:guid}</c> becomes <c>{id}</c>.</summary>
    private static string DocumentPathOf(string rawText) => RouteParameter().Replace(rawText, "{$1}");

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"<script\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\bsrc\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSrc();
}
