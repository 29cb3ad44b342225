namespace MediaFiles.Core.Domain;

public static class Roles
{
    public const string WardStaff = "WardStaff";
    public const string Reviewer = "Reviewer";
    public const string Admin = "Admin";
    public static readonly string[] All = [WardStaff, Reviewer, Admin];
}

/// <summary>A person who signs in. The subject is the stable id the identity provider gives.</summary>
public sealed class AppUser
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Subject { get; set; }
    public required string DisplayName { get; set; }
    public required string Role { get; set; }
    public List<Ward> Wards { get; set; } = [];
}
