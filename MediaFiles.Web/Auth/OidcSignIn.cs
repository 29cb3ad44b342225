using System.Security.Claims;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Web.Auth;

/// <summary>
/// What happens once the provider's ID token is validated: its role and ward claims are mapped, the
/// <see cref="AppUser"/> with its subject is found or created and brought up to date, and the principal is
/// replaced by the app's own claims (<see cref="MediaFilesClaims.PrincipalFor"/>), so the rest of the app
/// sees the same cookie as with the development sign-in. No known role: the user is sent to the
/// access-denied page and not signed in.
/// </summary>
public static class OidcSignIn
{
    /// <summary>The authentication type of the app principal an OpenID Connect sign-in produces.</summary>
    public const string AuthenticationType = "oidc";

    public static async Task OnTokenValidated(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn));
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.Oidc;
        var provider = context.Principal ?? new ClaimsPrincipal();
        var mapper = new OidcClaimMapper(options);

        var subject = provider.FindFirstValue("sub");
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 200)
        {
            logger.LogWarning("OpenID Connect sign-in refused: the ID token has no usable 'sub' claim.");
            Deny(context, "failed");
            return;
        }

        var role = mapper.AppRole(provider);
        if (role is null)
        {
            // Logged with the subject (an opaque id) and the provider's role names only, no personal data.
            logger.LogWarning("OpenID Connect sign-in refused for subject {Subject}: no MediaFiles role in claim '{RoleClaim}' (provider roles: {Roles}).",
                subject, options.RoleClaim, string.Join(", ", mapper.ProviderRoles(provider)));
            await services.GetRequiredService<MediaFiles.Core.Audit.AuditLog>().WriteAsync(MediaFiles.Core.Audit.AuditActions.SignIn, null, false,
                details: "oidc:no_role", ct: context.HttpContext.RequestAborted);
            Deny(context, null);
            return;
        }

        var db = services.GetRequiredService<MediaFilesDbContext>();
        var wards = await MatchWardsAsync(db, mapper.WardValues(provider), logger, context.HttpContext.RequestAborted);
        var displayName = DisplayName(provider, subject);
        var user = await SaveUserAsync(db, subject, displayName, role, wards, context.HttpContext.RequestAborted);
        logger.LogInformation("OpenID Connect sign-in: subject {Subject} as user {UserId}, role {Role}, {WardCount} ward(s).",
            subject, user.Id, role, user.Wards.Count);

        context.Principal = MediaFilesClaims.PrincipalFor(user, AuthenticationType);
        await services.GetRequiredService<MediaFiles.Core.Audit.AuditLog>().WriteAsync(MediaFiles.Core.Audit.AuditActions.SignIn, user.Id, true,
            details: AuthenticationType, ct: context.HttpContext.RequestAborted);
    }

    /// <summary>
    /// The cookie keeps only the ID token (the end-session request's id_token_hint), not the access token:
    /// the app calls no API with it, and the cookie stays small.
    /// </summary>
    public static Task OnTicketReceived(TicketReceivedContext context)
    {
        if (context.Properties is { } properties)
        {
            var idToken = properties.GetTokenValue("id_token");
            properties.StoreTokens(idToken is null ? [] : [new AuthenticationToken { Name = "id_token", Value = idToken }]);
        }
        return Task.CompletedTask;
    }

    /// <summary>A failed or refused answer from the provider (cancelled, error, stale state) is a page, not an exception.</summary>
    public static Task OnRemoteFailure(RemoteFailureContext context)
    {
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn))
            .LogWarning("OpenID Connect sign-in failed: {Reason}", context.Failure?.Message);
        context.Response.Redirect(context.Request.PathBase + "/account/denied?reason=failed");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static void Deny(TokenValidatedContext context, string? reason)
    {
        context.Response.Redirect(context.Request.PathBase + "/account/denied" + (reason is null ? "" : "?reason=" + reason));
        // Handled: the OpenID Connect handler stops here, so no cookie is issued.
        context.HandleResponse();
    }

    private static string DisplayName(ClaimsPrincipal provider, string subject)
    {
        var name = provider.FindFirstValue("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            var given = provider.FindFirstValue("given_name");
            var family = provider.FindFirstValue("family_name");
            name = string.Join(' ', new[] { given, family }.Where(s => !string.IsNullOrWhiteSpace(s)));
        }
        if (string.IsNullOrWhiteSpace(name)) name = provider.FindFirstValue("preferred_username");
        if (string.IsNullOrWhiteSpace(name)) name = subject;
        name = name.Trim();
        return name.Length <= 150 ? name : name[..150];
    }

    /// <summary>Wards by id or by name (case-insensitive); values naming no ward are ignored.</summary>
    private static async Task<List<Ward>> MatchWardsAsync(MediaFilesDbContext db, IReadOnlyList<string> values, ILogger logger, CancellationToken ct)
    {
        if (values.Count == 0) return [];
        var all = await db.Wards.ToListAsync(ct);
        var matched = new List<Ward>();
        var unknown = 0;
        foreach (var value in values)
        {
            var ward = Guid.TryParse(value, out var id)
                ? all.FirstOrDefault(w => w.Id == id)
                : all.FirstOrDefault(w => string.Equals(w.Name, value, StringComparison.OrdinalIgnoreCase));
            if (ward is null) unknown++;
            else if (!matched.Contains(ward)) matched.Add(ward);
        }
        if (unknown > 0) logger.LogInformation("OpenID Connect sign-in: {Count} ward value(s) name no ward and were ignored.", unknown);
        return matched;
    }

    /// <summary>Finds or creates the user by subject and sets name, role and wards from this sign-in.</summary>
    private static async Task<AppUser> SaveUserAsync(MediaFilesDbContext db, string subject, string displayName, string role,
        List<Ward> wards, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var user = await db.Users.Include(u => u.Wards).FirstOrDefaultAsync(u => u.Subject == subject, ct);
            if (user is null)
            {
                user = new AppUser { Subject = subject, DisplayName = displayName, Role = role };
                db.Users.Add(user);
            }
            user.DisplayName = displayName;
            user.Role = role;
            user.Wards.RemoveAll(w => !wards.Contains(w));
            user.Wards.AddRange(wards.Where(w => !user.Wards.Contains(w)));
            try
            {
                await db.SaveChangesAsync(ct);
                return user;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // The same person's first sign-in in two tabs at once: the other one created the row. Load it and update that.
                db.ChangeTracker.Clear();
                var reloaded = new List<Ward>();
                foreach (var ward in wards) reloaded.Add(await db.Wards.SingleAsync(w => w.Id == ward.Id, ct));
                wards = reloaded;
            }
        }
    }
}
