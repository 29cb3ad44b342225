using MediaFiles.Core.Domain;

namespace MediaFiles.Web.Auth;

public static class AuthModes
{
    /// <summary>The development user picker (only in the Development environment).</summary>
    public const string Development = "Development";

    /// <summary>OpenID Connect sign-in at a real identity provider.</summary>
    public const string Oidc = "Oidc";
}

/// <summary>The <c>Auth</c> configuration section (docs/configuration.md).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary><see cref="AuthModes.Development"/> (default) or <see cref="AuthModes.Oidc"/>, case-insensitive.</summary>
    public string Mode { get; set; } = AuthModes.Development;

    public OidcOptions Oidc { get; set; } = new();

    public bool IsOidc => string.Equals(Mode, AuthModes.Oidc, StringComparison.OrdinalIgnoreCase);
    public bool IsDevelopment => string.Equals(Mode, AuthModes.Development, StringComparison.OrdinalIgnoreCase);

    /// <summary>The section, bound and checked; throws with a message naming the setting at fault.</summary>
    public static AuthOptions Load(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (IsDevelopment)
        {
            // Half a configuration must not silently fall back to the picker.
            if (!string.IsNullOrWhiteSpace(Oidc.Authority))
                throw new InvalidOperationException(
                    "Auth:Oidc:Authority is set but Auth:Mode is Development: the development sign-in is refused while OpenID Connect is configured. Set Auth:Mode to Oidc, or remove the Auth:Oidc settings.");
            return;
        }
        if (!IsOidc)
            throw new InvalidOperationException($"Auth:Mode '{Mode}' is not supported: use '{AuthModes.Development}' or '{AuthModes.Oidc}'.");
        Oidc.Validate();
    }
}

/// <summary>The <c>Auth:Oidc</c> section: the identity provider and how its claims map to the app's role and wards.</summary>
public sealed class OidcOptions
{
    public static readonly string[] DefaultScopes = ["openid", "profile", "roles"];

    /// <summary>The provider's issuer URL (its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>).</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }

    /// <summary>Optional: a public client (no secret) still signs in with PKCE.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Scopes to ask for. Unset: <see cref="DefaultScopes"/>. A configured list replaces the default
    /// (the binder would append to a non-empty default array, so the default lives in <see cref="EffectiveScopes"/>).
    /// </summary>
    public string[]? Scopes { get; set; }

    /// <summary>
    /// The claim holding the user's roles: a claim type (<c>roles</c>), or a claim type and a path into
    /// its JSON value (<c>realm_access.roles</c>: Keycloak's realm roles; <c>resource_access.mediafiles.roles</c>: client roles).
    /// </summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim holding the user's wards, by ward name or ward id; same syntax as <see cref="RoleClaim"/>.</summary>
    public string WardClaim { get; set; } = "ward";

    /// <summary>
    /// Provider role name → WardStaff, Reviewer or Admin, case-insensitive. Empty (default): a provider role
    /// counts when its name is one of the app's roles. Not empty: only the roles it names count.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The scopes sent: the configured ones (space-separated entries split) or the default, always with <c>openid</c>.</summary>
    public IReadOnlyList<string> EffectiveScopes
    {
        get
        {
            var scopes = (Scopes is { Length: > 0 } ? Scopes : DefaultScopes)
                .SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToList();
            if (!scopes.Contains("openid")) scopes.Insert(0, "openid");
            return scopes.Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The authority as a URI (valid after <see cref="Validate"/>).</summary>
    public Uri AuthorityUri => new(Authority!, UriKind.Absolute);

    /// <summary>Plain http is accepted only for a provider on this machine (tests, a local Keycloak).</summary>
    public bool IsLoopbackHttp => AuthorityUri.Scheme == Uri.UriSchemeHttp && AuthorityUri.IsLoopback;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Authority))
            throw new InvalidOperationException("Auth:Mode is Oidc but Auth:Oidc:Authority is not set: give the identity provider's issuer URL.");
        if (string.IsNullOrWhiteSpace(ClientId))
            throw new InvalidOperationException("Auth:Mode is Oidc but Auth:Oidc:ClientId is not set: give the client id registered at the identity provider.");
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException($"Auth:Oidc:Authority '{Authority}' is not an absolute http(s) URL.");
        if (authority.Scheme == Uri.UriSchemeHttp && !authority.IsLoopback)
            throw new InvalidOperationException($"Auth:Oidc:Authority '{Authority}' must use https (plain http is accepted only on this machine's loopback address).");
        if (string.IsNullOrWhiteSpace(RoleClaim))
            throw new InvalidOperationException("Auth:Oidc:RoleClaim is empty: name the claim holding the roles (default 'roles').");
        if (string.IsNullOrWhiteSpace(WardClaim))
            throw new InvalidOperationException("Auth:Oidc:WardClaim is empty: name the claim holding the wards (default 'ward').");
        foreach (var (from, to) in RoleMap)
            if (!Roles.All.Contains(to, StringComparer.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    $"Auth:Oidc:RoleMap maps '{from}' to '{to}', which is not a MediaFiles role: use {string.Join(", ", Roles.All)}.");
    }
}
