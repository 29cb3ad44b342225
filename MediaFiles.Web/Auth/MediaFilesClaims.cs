using System.Security.Claims;
using MediaFiles.Core.Access;
using MediaFiles.Core.Domain;

namespace MediaFiles.Web.Auth;

/// <summary>
/// The claims the app's cookie carries, whatever sign-in produced them (the development picker now,
/// OpenID Connect later): the app user's id, name, role, ward ids and the hospitals of those wards.
/// </summary>
public static class MediaFilesClaims
{
    public const string UserId = "mf_uid";
    public const string Ward = "mf_ward";
    public const string Hospital = "mf_hospital";
    public const string Name = "name";
    public const string Role = "role";

    public static ClaimsPrincipal PrincipalFor(AppUser user, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(UserId, user.Id.ToString()),
            new(Name, user.DisplayName),
            new(Role, user.Role),
        };
        claims.AddRange(user.Wards.Select(w => new Claim(Ward, w.Id.ToString())));
        claims.AddRange(user.Wards.Select(w => w.Hospital).Distinct().Select(h => new Claim(Hospital, h)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, Name, Role));
    }

    /// <summary>The Core's view of a signed-in principal, or null when it lacks the app's claims.</summary>
    public static CurrentUser? ToCurrentUser(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(principal.FindFirstValue(UserId), out var id)) return null;
        var wards = principal.FindAll(Ward).Select(c => Guid.TryParse(c.Value, out var w) ? w : Guid.Empty)
            .Where(w => w != Guid.Empty).ToHashSet();
        return new CurrentUser(id, principal.FindFirstValue(Name) ?? "", principal.FindFirstValue(Role) ?? "", wards)
        {
            Hospitals = principal.FindAll(Hospital).Select(c => c.Value).ToHashSet(),
        };
    }
}
