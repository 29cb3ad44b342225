using MediaFiles.Core.Access;
using MediaFiles.Web.Auth;

namespace MediaFiles.Web.Endpoints;

internal static class HttpCurrentUser
{
    /// <summary>The Core's user for a request that passed RequireAuthorization.</summary>
    public static CurrentUser Require(HttpContext context) =>
        MediaFilesClaims.ToCurrentUser(context.User) ?? throw new InvalidOperationException("Authorized request without the app's claims.");
}
