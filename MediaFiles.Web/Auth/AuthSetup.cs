using Microsoft.AspNetCore.Authentication.Cookies;

namespace MediaFiles.Web.Auth;

public static class AuthModes
{
    public const string Development = "Development";
}

public static class AuthSetup
{
    public const string CookieName = "mediafiles.auth";

    /// <summary>
    /// Cookie authentication, signed in by the development picker. The picker never runs in
    /// Production: the app refuses to start rather than expose it. A later sign-in (OpenID Connect)
    /// plugs in here and issues the same claims (MediaFilesClaims).
    /// </summary>
    public static void AddMediaFilesAuth(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration["Auth:Mode"] ?? AuthModes.Development;
        if (mode != AuthModes.Development)
            throw new InvalidOperationException($"Auth:Mode '{mode}' is not supported yet: use '{AuthModes.Development}'.");
        // Only in Development: any other environment (Production, Staging, …) refuses to start with it.
        if (!builder.Environment.IsDevelopment())
            throw new InvalidOperationException(
                $"The development sign-in cannot run in {builder.Environment.EnvironmentName} (only in Development): it lets anyone pick a user. Run with ASPNETCORE_ENVIRONMENT=Development, or configure a real identity provider.");

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/account/signin";
                o.AccessDeniedPath = "/account/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
    }

    /// <summary>APIs and file reads answer with a status code; pages redirect to sign-in.</summary>
    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/media"))
            ctx.Response.StatusCode = status;
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
