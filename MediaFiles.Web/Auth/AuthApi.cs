using MediaFiles.Core.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Web.Auth;

public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/antiforgery", GetAntiforgeryToken)
            .WithSummary("A token for the RequestVerificationToken header of API calls (and the cookie it pairs with).");

        // Form posts: minimal APIs validate the antiforgery field of a [FromForm] request themselves.
        app.MapPost("/auth/dev/signin", DevSignIn).WithSummary("Development sign-in as one of the seeded users.");
        app.MapPost("/auth/signout", (Delegate)SignOut).RequireAuthorization().AddEndpointFilter<Endpoints.AntiforgeryFilter>();
    }

    public sealed record AntiforgeryToken(string HeaderName, string Token);

    public static Ok<AntiforgeryToken> GetAntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryToken(tokens.HeaderName!, tokens.RequestToken!));
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> DevSignIn(
        [FromForm] string subject, [FromForm] string? returnUrl, HttpContext context, MediaFilesDbContext db)
    {
        var user = await db.Users.AsNoTracking().Include(u => u.Wards).FirstOrDefaultAsync(u => u.Subject == subject);
        if (user is null)
            return TypedResults.Problem(statusCode: 400, title: "Unknown user", detail: "Pick one of the listed users.");

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            MediaFilesClaims.PrincipalFor(user, AuthModes.Development));
        return TypedResults.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    public static async Task<RedirectHttpResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect("/account/signin");
    }

    /// <summary>Only local paths: a sign-in link must not send the user to another site.</summary>
    private static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
