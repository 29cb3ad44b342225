using MediaFiles.Core.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MediaFiles.Web.Auth;

public static class AuthApi
{
    /// <summary>OIDC mode: starts the sign-in at the provider (the cookie's login path).</summary>
    public const string OidcSignInPath = "/auth/signin";

    /// <summary>Where the provider sends the browser back after its end-session.</summary>
    public const string SignedOutPath = "/account/signedout";

    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value;

        app.MapGet("/api/antiforgery", GetAntiforgeryToken).WithName(nameof(GetAntiforgeryToken)).WithTags("Sign-in")
            .WithSummary("A token for the RequestVerificationToken header of API calls (and the cookie it pairs with).");

        // The development sign-in exists only in Development mode. Otherwise the path answers a plain 404
        // (mapped explicitly: left unmapped, the static-file fallback route would make it a 405).
        if (options.IsDevelopment)
            // Form posts: minimal APIs validate the antiforgery field of a [FromForm] request themselves.
            app.MapPost("/auth/dev/signin", DevSignIn).WithName(nameof(DevSignIn)).WithTags("Sign-in")
                .WithSummary("Development sign-in as one of the seeded users.")
                .ProducesProblem(StatusCodes.Status400BadRequest);
        else
            app.MapPost("/auth/dev/signin", () => TypedResults.NotFound()).ExcludeFromDescription();
        app.MapGet(OidcSignInPath, StartSignIn).AllowAnonymous().WithName(nameof(StartSignIn)).WithTags("Sign-in")
            .WithSummary("Sign-in at the OpenID Connect provider (in Development mode: the user picker).");
        app.MapPost("/auth/signout", (Delegate)SignOut).RequireAuthorization().AddEndpointFilter<Endpoints.AntiforgeryFilter>()
            .WithName(nameof(SignOut)).WithTags("Sign-in")
            .WithSummary("Sign out (and, in OIDC mode, out of the provider): a redirect.");
    }

    public sealed record AntiforgeryToken(string HeaderName, string Token);

    public static Ok<AntiforgeryToken> GetAntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryToken(tokens.HeaderName!, tokens.RequestToken!));
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult, NotFound>> DevSignIn(
        [FromForm] string subject, [FromForm] string? returnUrl, HttpContext context, MediaFilesDbContext db,
        IOptions<AuthOptions> options, IHostEnvironment environment, MediaFiles.Core.Audit.AuditLog audit)
    {
        // Mapped only in Development mode, and the app refuses to start with it outside Development; checked again here.
        if (!options.Value.IsDevelopment || !environment.IsDevelopment()) return TypedResults.NotFound();
        var user = await db.Users.AsNoTracking().Include(u => u.Wards).FirstOrDefaultAsync(u => u.Subject == subject);
        if (user is null)
            return TypedResults.Problem(statusCode: 400, title: "Unknown user", detail: "Pick one of the listed users.");

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            MediaFilesClaims.PrincipalFor(user, AuthModes.Development));
        await audit.WriteAsync(MediaFiles.Core.Audit.AuditActions.SignIn, user.Id, true, details: "development");
        return TypedResults.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    /// <summary>
    /// OIDC mode: a challenge of the provider that comes back to <paramref name="returnUrl"/> (local paths only).
    /// <c>prompt=login</c> asks the provider for its login form even when it has a session (another account).
    /// Development mode: the picker.
    /// </summary>
    public static IResult StartSignIn(string? returnUrl, string? prompt, IOptions<AuthOptions> options)
    {
        var target = SafeReturnUrl(returnUrl);
        // Back to a sign-in or account page would only start another round trip.
        if (target.StartsWith("/auth/", StringComparison.OrdinalIgnoreCase) || target.StartsWith("/account/", StringComparison.OrdinalIgnoreCase))
            target = "/";
        if (!options.Value.IsOidc)
            return TypedResults.LocalRedirect("/account/signin?returnUrl=" + Uri.EscapeDataString(target));
        var properties = new OpenIdConnectChallengeProperties { RedirectUri = target };
        if (prompt == "login") properties.Prompt = "login";
        return TypedResults.Challenge(properties, [AuthSetup.OidcScheme]);
    }

    /// <summary>
    /// Ends the app's cookie; in OIDC mode also the provider's session (its end-session endpoint, with the
    /// ID token as hint), which sends the browser back to <see cref="SignedOutPath"/>.
    /// </summary>
    public static async Task<IResult> SignOut(HttpContext context, IOptions<AuthOptions> options, MediaFiles.Core.Audit.AuditLog audit)
    {
        await audit.WriteAsync(MediaFiles.Core.Audit.AuditActions.SignOut, MediaFilesClaims.ToCurrentUser(context.User)?.Id, true);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!options.Value.IsOidc)
            return TypedResults.LocalRedirect("/account/signin");
        // The OIDC handler reads the ID token from the request's cookie (still there in this request) and
        // redirects to the provider.
        await context.SignOutAsync(AuthSetup.OidcScheme, new AuthenticationProperties { RedirectUri = SignedOutPath });
        return TypedResults.Empty;
    }

    /// <summary>Only local paths: a sign-in link must not send the user to another site.</summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
