using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace MediaFiles.Web.Auth;

public static class AuthSetup
{
    public const string CookieName = "mediafiles.auth";
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>
    /// Cookie authentication, signed in either by the development picker (<c>Auth:Mode</c> Development,
    /// only in the Development environment) or by OpenID Connect (<c>Auth:Mode</c> Oidc). Both issue the
    /// same claims (<see cref="MediaFilesClaims"/>). Bad settings stop the app here, at start-up.
    /// </summary>
    public static void AddMediaFilesAuth(this WebApplicationBuilder builder)
    {
        var options = AuthOptions.Load(builder.Configuration);
        // Only in Development: any other environment (Production, Staging, …) refuses to start with it.
        if (options.IsDevelopment && !builder.Environment.IsDevelopment())
            throw new InvalidOperationException(
                $"The development sign-in cannot run in {builder.Environment.EnvironmentName} (only in Development): it lets anyone pick a user. Run with ASPNETCORE_ENVIRONMENT=Development, or configure a real identity provider (Auth:Mode=Oidc).");
        builder.Services.AddSingleton(Options.Create(options));

        var authentication = builder.Services.AddAuthentication(o =>
            {
                // Pages and APIs challenge the cookie: APIs get 401, pages go to the sign-in path, which in
                // OIDC mode hands over to the provider (AuthApi.StartSignIn).
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = options.IsOidc ? AuthApi.OidcSignInPath : "/account/signin";
                o.AccessDeniedPath = "/account/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
            });
        if (options.IsOidc) authentication.AddOpenIdConnect(OidcScheme, o => ConfigureOidc(o, options.Oidc));

        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, OidcOptions oidc)
    {
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        o.SaveTokens = true; // the ID token is the id_token_hint of the provider's end-session request (OidcSignIn.OnTicketReceived keeps only it)
        o.MapInboundClaims = false; // keep "sub", "roles", "name" as the provider sent them
        o.GetClaimsFromUserInfoEndpoint = false; // roles and wards are read from the ID token
        o.RequireHttpsMetadata = !oidc.IsLoopbackHttp;
        o.TokenValidationParameters.NameClaimType = "name";
        o.TokenValidationParameters.RoleClaimType = "roles";
        o.Scope.Clear();
        foreach (var scope in oidc.EffectiveScopes) o.Scope.Add(scope);
        o.CallbackPath = "/signin-oidc";
        o.SignedOutCallbackPath = "/signout-callback-oidc";
        o.SignedOutRedirectUri = AuthApi.SignedOutPath;
        o.Events.OnTokenValidated = OidcSignIn.OnTokenValidated;
        o.Events.OnRemoteFailure = OidcSignIn.OnRemoteFailure;
        o.Events.OnTicketReceived = OidcSignIn.OnTicketReceived;
    }

    /// <summary>
    /// The page Content-Security-Policy with the provider's origin added to <c>form-action</c> in OIDC mode:
    /// the sign-out form's answer redirects to the provider's end-session endpoint, and browsers check
    /// form-action on the redirects of a form submission too.
    /// </summary>
    public static string PageCspWithSignIn(this WebApplication app, string csp)
    {
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!options.IsOidc) return csp;
        var origin = options.Oidc.AuthorityUri.GetLeftPart(UriPartial.Authority);
        return csp.Replace("form-action 'self'", $"form-action 'self' {origin}", StringComparison.Ordinal);
    }

    /// <summary>APIs, file reads and the OpenAPI document answer with a status code; pages redirect to sign-in.</summary>
    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/media") || ctx.Request.Path.StartsWithSegments("/openapi"))
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
