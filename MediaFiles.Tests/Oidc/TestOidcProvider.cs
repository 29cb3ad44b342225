using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MediaFiles.Tests.Oidc;

/// <summary>A person the test provider knows. Either flat <see cref="Roles"/> or Keycloak-style <see cref="RealmRoles"/>.</summary>
public sealed record ProviderUser(string Subject, string Name, string[]? Roles = null, string[]? RealmRoles = null, string[]? Wards = null);

/// <summary>
/// A real OpenID provider (OpenIddict) for the tests: its own Kestrel on 127.0.0.1 and a free port, plain
/// http, authorization code + PKCE, a login form over in-memory users, an end-session endpoint that ends
/// its own session, and an in-memory SQLite store for clients and tokens. Its session cookie has its own
/// name: cookies ignore ports, and the app on the same address must not overwrite it.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string CookieName = "testidp.session";
    public const string Password = "correct horse";

    private readonly WebApplication _app;
    private readonly SqliteConnection _keepAlive;
    private int _endSessions;

    private TestOidcProvider(WebApplication app, SqliteConnection keepAlive, string issuer)
    {
        _app = app;
        _keepAlive = keepAlive;
        Issuer = issuer;
    }

    /// <summary>The provider's base URL and issuer, with the trailing slash OpenIddict puts in <c>iss</c>.</summary>
    public string Issuer { get; }

    /// <summary>Users by login name; tests may add or change them at any time.</summary>
    public ConcurrentDictionary<string, ProviderUser> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>How many end-session requests reached the provider.</summary>
    public int EndSessions => Volatile.Read(ref _endSessions);

    /// <summary>The client id named by the ID token hint of the last end-session request (null: no hint).</summary>
    public string? LastEndSessionClient { get; private set; }

    public static async Task<TestOidcProvider> StartAsync()
    {
        // A named shared-cache in-memory database lives as long as one connection to it is open.
        var connectionString = $"Data Source=oidc-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        var keepAlive = new SqliteConnection(connectionString);
        await keepAlive.OpenAsync();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(TestOidcProvider).Assembly.GetName().Name,
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();

        builder.Services.AddDbContext<ProviderDbContext>(o =>
        {
            o.UseSqlite(connectionString);
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderDbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                // Plain http on loopback: without this OpenIddict answers ID2083 ("only accepts HTTPS").
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.LoginPath = "/login";
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ProviderDbContext>().Database.EnsureCreatedAsync();

        app.UseAuthentication();
        app.UseAuthorization();

        TestOidcProvider? provider = null;
        app.MapGet("/", () => Results.Text("Test identity provider"));
        app.MapGet("/login", (string? returnUrl) => Results.Content(LoginPage(returnUrl, error: false), "text/html"));
        app.MapPost("/login", (Func<HttpContext, Task<IResult>>)(context => provider!.LoginAsync(context)));
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)(context => provider!.AuthorizeAsync(context)));
        app.MapMethods("/connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)(context => provider!.EndSessionAsync(context)));
        // Who the provider's own session is, for tests that check "signed out" on the provider itself.
        app.MapGet("/session", async (HttpContext context) =>
        {
            var result = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Text(result.Succeeded ? "signed-in:" + result.Principal!.Identity!.Name : "anonymous");
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Addressed as "localhost" while the apps are "127.0.0.1": another host, as a real provider is
        // (cross-origin redirects, the page CSP's form-action), on the same loopback interface.
        var port = new Uri(address.Replace("[::]", "127.0.0.1")).Port;
        provider = new TestOidcProvider(app, keepAlive, $"http://localhost:{port}/");
        return provider;
    }

    /// <summary>A confidential client with PKCE for an app at <paramref name="appBaseUrl"/> (its port is known only once it runs).</summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, string appBaseUrl)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "MediaFiles (" + clientId + ")",
            RedirectUris = { new Uri(appBaseUrl + "/signin-oidc") },
            PostLogoutRedirectUris = { new Uri(appBaseUrl + "/signout-callback-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        string userName = form["username"].ToString(), returnUrl = form["returnUrl"].ToString();
        if (!Users.ContainsKey(userName) || form["password"] != Password)
            return Results.Content(LoginPage(returnUrl, error: true), "text/html", statusCode: StatusCodes.Status200OK);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, userName)], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") ? returnUrl : "/");
    }

    private async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = session.Succeeded && Users.TryGetValue(session.Principal!.Identity!.Name!, out var u) ? u : null;

        // No session, or the client asks for the login form (prompt=login): the form, then back here without the prompt.
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            var parameters = (context.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)context.Request.Form : context.Request.Query)
                .Where(p => p.Key != Parameters.Prompt).ToList();
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.Name);
        foreach (var role in user.Roles ?? []) identity.AddClaim(new Claim("roles", role));
        // Keycloak puts realm roles in one JSON object claim: {"roles":[...]}.
        if (user.RealmRoles is { } realmRoles) identity.SetClaim("realm_access", JsonSerializer.SerializeToElement(new { roles = realmRoles }));
        foreach (var ward in user.Wards ?? []) identity.AddClaim(new Claim("ward", ward));
        identity.SetScopes(request.GetScopes());
        // OpenIddict drops every claim without a destination.
        identity.SetDestinations(static _ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> EndSessionAsync(HttpContext context)
    {
        // OpenIddict has validated the id_token_hint (if any) and the post_logout_redirect_uri before this runs.
        var hint = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        LastEndSessionClient = hint.Succeeded ? hint.Principal!.GetPresenters().FirstOrDefault() ?? hint.Principal!.GetAudiences().FirstOrDefault() : null;
        Interlocked.Increment(ref _endSessions);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // OpenIddict sends the browser to the client's validated post_logout_redirect_uri.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static string LoginPage(string? returnUrl, bool error) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
        <body>
          <h1>Test identity provider</h1>
          {{(error ? "<p data-testid=\"provider-login-error\">Wrong user name or password.</p>" : "")}}
          <form method="post" action="/login" data-testid="provider-login">
            <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl ?? "/")}}">
            <label>User name <input id="username" name="username" autocomplete="username"></label>
            <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
            <button type="submit" id="provider-signin">Sign in</button>
          </form>
        </body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _keepAlive.DisposeAsync();
    }

    private sealed class ProviderDbContext(DbContextOptions<ProviderDbContext> options) : DbContext(options);
}
