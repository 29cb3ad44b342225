using System.Net;
using System.Text.RegularExpressions;
using MediaFiles.Core;
using MediaFiles.Core.Data;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MediaFiles.Tests.Web;

/// <summary>The development sign-in, its page and its refusal in Production; what an anonymous request gets.</summary>
public sealed partial class AuthTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    [Fact]
    public async Task The_factory_runs_Development_over_its_own_database_file_and_media_folder()
    {
        Assert.Equal(Environments.Development, app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        Assert.Equal(app.StorageRoot, app.Services.GetRequiredService<IOptions<MediaFilesOptions>>().Value.StorageRoot);
        Assert.Equal(app.StorageRoot, ((LocalMediaStore)app.Services.GetRequiredService<IMediaStore>()).Root);
        var connection = await app.DbAsync(db => Task.FromResult(db.Database.GetDbConnection().DataSource));
        Assert.Equal(app.DatabasePath, connection);
        Assert.True(File.Exists(app.DatabasePath));
        Assert.Equal(4, await app.DbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Starting_as_Production_is_refused_because_of_the_development_sign_in()
    {
        await using var production = MediaFilesWebFactory.With(null, Environments.Production);

        var ex = Assert.Throws<InvalidOperationException>(() => production.CreateClient());

        Assert.Contains("development sign-in cannot run in Production", ex.Message);
    }

    [Fact]
    public async Task Sign_in_page_lists_the_seeded_users_and_warns_that_it_is_for_development()
    {
        using var http = app.CreateCookieClient();

        using var response = await http.GetAsync("/account/signin");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Development sign-in", html);
        Assert.Contains("data-testid=\"dev-signin-warning\"", html);
        foreach (var (subject, name) in new[] { ("nurse", "Nora Lindqvist"), ("reviewer", "Dr. Ravi Menon"), ("admin", "Ada Okafor"), ("nurse-2a", "Tomás Ferreira") })
        {
            Assert.Contains($"data-testid=\"signin-{subject}\"", html);
            Assert.Contains(name, WebUtility.HtmlDecode(html));
        }
        Assert.Equal(4, FormAction().Matches(html).Count);
        Assert.Equal(4, AntiforgeryField().Matches(html).Count);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Signing_in_sets_the_http_only_auth_cookie_and_redirects_home()
    {
        using var http = app.CreateCookieClient();
        var token = await SignedInClient.FetchTokenAsync(http);

        using var response = await SignInAsync(http, "nurse", token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mediafiles.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        using var patients = await http.GetAsync("/api/patients");
        Assert.Equal(HttpStatusCode.OK, patients.StatusCode);
    }

    [Theory]
    [InlineData("/patients", "/patients")]
    [InlineData("//evil.example/steal", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    public async Task Sign_in_returns_only_to_a_local_path(string returnUrl, string expected)
    {
        using var http = app.CreateCookieClient();
        var token = await SignedInClient.FetchTokenAsync(http);

        using var response = await SignInAsync(http, "reviewer", token, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_field_is_refused_and_sets_no_auth_cookie()
    {
        using var http = app.CreateCookieClient();
        await SignedInClient.FetchTokenAsync(http);

        using var response = await http.PostAsync("/auth/dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["subject"] = "nurse" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("mediafiles.auth=", StringComparison.Ordinal));
        using var patients = await http.GetAsync("/api/patients");
        Assert.Equal(HttpStatusCode.Unauthorized, patients.StatusCode);
    }

    [Fact]
    public async Task Sign_in_as_an_unknown_subject_is_a_400_problem()
    {
        using var http = app.CreateCookieClient();
        var token = await SignedInClient.FetchTokenAsync(http);

        using var response = await SignInAsync(http, "mallory", token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown user", await response.Content.ReadAsStringAsync());
        using var patients = await http.GetAsync("/api/patients");
        Assert.Equal(HttpStatusCode.Unauthorized, patients.StatusCode);
    }

    [Fact]
    public async Task The_antiforgery_token_from_before_sign_in_is_not_valid_after_it()
    {
        using var http = app.CreateCookieClient();
        var anonymousToken = await SignedInClient.FetchTokenAsync(http);
        using (var signIn = await SignInAsync(http, "nurse", anonymousToken))
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var stale = SignedInClient.UploadRequest(new ByteArrayContent(TestUploads.UniqueJpeg()), "a.jpg", "image/jpeg", anonymousToken);
        using var refused = await http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var freshToken = await SignedInClient.FetchTokenAsync(http);
        using var fresh = SignedInClient.UploadRequest(new ByteArrayContent(TestUploads.UniqueJpeg()), "a.jpg", "image/jpeg", freshToken);
        using var accepted = await http.SendAsync(fresh);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Anonymous_api_calls_get_401_and_pages_redirect_to_the_sign_in()
    {
        using var http = app.CreateCookieClient();

        using var api = await http.GetAsync("/api/patients");
        using var page = await http.GetAsync("/patients");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Null(api.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/account/signin?ReturnUrl=%2Fpatients", page.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var nurse = await app.SignInAsync("nurse");

        using var response = await nurse.SendAsync(HttpMethod.Post, "/auth/signout");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signin", response.Headers.Location?.OriginalString);
        using var after = await nurse.Http.GetAsync("/api/patients");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient http, string subject, string token, string? returnUrl = null)
    {
        var form = new Dictionary<string, string> { ["subject"] = subject, ["__RequestVerificationToken"] = token };
        if (returnUrl is not null) form["returnUrl"] = returnUrl;
        return http.PostAsync("/auth/dev/signin", new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("<form method=\"post\" action=\"/auth/dev/signin\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("name=\"__RequestVerificationToken\"")]
    private static partial Regex AntiforgeryField();
}
