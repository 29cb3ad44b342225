using System.Security.Claims;
using System.Text.Json;
using MediaFiles.Core.Domain;

namespace MediaFiles.Web.Auth;

/// <summary>
/// Reads the identity provider's claims: its role values mapped to one MediaFiles role, and its ward values.
/// No database and no HTTP: what it decides can be tested alone.
/// </summary>
public sealed class OidcClaimMapper(OidcOptions options)
{
    private readonly Dictionary<string, string> _roleMap =
        new(options.RoleMap, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The first provider role (in token order) that maps to a MediaFiles role, or null: with no role map,
    /// a provider role counts when it names an app role (case-insensitive); with a map, only mapped roles count.
    /// </summary>
    public string? AppRole(ClaimsPrincipal principal) =>
        ProviderRoles(principal).Select(Map).FirstOrDefault(r => r is not null);

    public IReadOnlyList<string> ProviderRoles(ClaimsPrincipal principal) => Values(principal, options.RoleClaim);

    /// <summary>Ward names or ids as the provider sent them (matching against the database is the caller's).</summary>
    public IReadOnlyList<string> WardValues(ClaimsPrincipal principal) => Values(principal, options.WardClaim);

    private string? Map(string providerRole)
    {
        var name = _roleMap.Count == 0 ? providerRole : _roleMap.GetValueOrDefault(providerRole);
        return name is null ? null : Roles.All.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The string values of a claim. <paramref name="claimPath"/> is a claim type (<c>roles</c>) or, when no claim
    /// has that exact type, a claim type and a dotted path into its JSON value (<c>realm_access.roles</c>).
    /// A JSON array (one claim holding <c>["a","b"]</c>) counts as its elements.
    /// </summary>
    public static IReadOnlyList<string> Values(ClaimsPrincipal principal, string claimPath)
    {
        var exact = principal.FindAll(claimPath).ToList();
        if (exact.Count > 0) return exact.SelectMany(c => Flatten(c.Value)).Distinct(StringComparer.Ordinal).ToList();

        var dot = claimPath.IndexOf('.');
        if (dot <= 0 || dot == claimPath.Length - 1) return [];
        var path = claimPath[(dot + 1)..].Split('.');
        var values = new List<string>();
        foreach (var claim in principal.FindAll(claimPath[..dot]))
        {
            if (!TryParse(claim.Value, out var root)) continue;
            var node = root;
            var found = true;
            foreach (var segment in path)
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(segment, out node)) { found = false; break; }
            }
            if (found) values.AddRange(Strings(node));
        }
        return values.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Flatten(string value)
    {
        if (value.StartsWith('[') && TryParse(value, out var array)) return Strings(array);
        return string.IsNullOrWhiteSpace(value) ? [] : [value.Trim()];
    }

    private static IEnumerable<string> Strings(JsonElement node) => node.ValueKind switch
    {
        JsonValueKind.String => string.IsNullOrWhiteSpace(node.GetString()) ? [] : [node.GetString()!.Trim()],
        JsonValueKind.Array => node.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString()))
            .Select(e => e.GetString()!.Trim()).ToList(),
        _ => [],
    };

    private static bool TryParse(string json, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }
}
