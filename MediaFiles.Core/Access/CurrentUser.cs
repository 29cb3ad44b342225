using MediaFiles.Core.Domain;

namespace MediaFiles.Core.Access;

/// <summary>The signed-in user as the Core sees it, whatever sign-in produced it.</summary>
public sealed record CurrentUser(Guid Id, string DisplayName, string Role, IReadOnlySet<Guid> WardIds)
{
    /// <summary>The hospitals of the user's wards (the outpatient rule in AccessPolicy).</summary>
    public IReadOnlySet<string> Hospitals { get; init; } = new HashSet<string>();

    public bool IsInRole(string role) => string.Equals(Role, role, StringComparison.Ordinal);
}
