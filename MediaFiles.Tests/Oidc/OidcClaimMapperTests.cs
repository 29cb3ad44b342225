using System.Security.Claims;
using MediaFiles.Web.Auth;

namespace MediaFiles.Tests.Oidc;

/// <summary>How the provider's role and ward claims are read, in every shape providers send them.</summary>
[Trait(Support.TestCategory.Name, Support.TestCategory.Slow)]
public sealed class OidcClaimMapperTests
{
    internal static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    private static OidcClaimMapper Mapper(string roleClaim = "roles", string wardClaim = "ward", Dictionary<string, string>? map = null) =>
        new(new OidcOptions { RoleClaim = roleClaim, WardClaim = wardClaim, RoleMap = map ?? [] });

    [Theory]
    [InlineData("WardStaff", "WardStaff")]
    [InlineData("reviewer", "Reviewer")]
    [InlineData("ADMIN", "Admin")]
    [InlineData("Nurse", null)]
    [InlineData("", null)]
    public void A_flat_role_counts_when_it_names_an_app_role(string providerRole, string? expected) =>
        Assert.Equal(expected, Mapper().AppRole(Principal(("roles", providerRole))));

    [Fact]
    public void The_first_known_role_in_token_order_wins()
    {
        var user = Principal(("roles", "offline_access"), ("roles", "Reviewer"), ("roles", "Admin"));

        Assert.Equal("Reviewer", Mapper().AppRole(user));
    }

    [Fact]
    public void A_claim_holding_a_JSON_array_counts_as_its_elements()
    {
        var user = Principal(("roles", """["offline_access","Admin"]"""));

        Assert.Equal(["offline_access", "Admin"], Mapper().ProviderRoles(user));
        Assert.Equal("Admin", Mapper().AppRole(user));
    }

    [Fact]
    public void Keycloak_realm_access_roles_are_read_from_the_JSON_claim()
    {
        var user = Principal(("realm_access", """{"roles":["default-roles-hospital","offline_access","WardStaff"]}"""), ("roles", "Admin"));

        Assert.Equal("WardStaff", Mapper("realm_access.roles").AppRole(user));
    }

    [Fact]
    public void Keycloak_client_roles_are_read_by_a_longer_path()
    {
        var user = Principal(("resource_access", """{"account":{"roles":["Admin"]},"mediafiles":{"roles":["Reviewer"]}}"""));

        Assert.Equal("Reviewer", Mapper("resource_access.mediafiles.roles").AppRole(user));
        Assert.Null(Mapper("resource_access.other.roles").AppRole(user));
    }

    [Fact]
    public void Missing_or_malformed_claims_give_no_role()
    {
        Assert.Null(Mapper("realm_access.roles").AppRole(Principal(("realm_access", "not json"))));
        Assert.Null(Mapper("realm_access.roles").AppRole(Principal(("realm_access", """{"roles":"Admin-but-not-an-array"}"""))));
        Assert.Null(Mapper("realm_access.roles").AppRole(Principal(("realm_access", """{"roles":[1,2,{"x":1}]}"""))));
        Assert.Null(Mapper().AppRole(Principal(("name", "Admin"))));
    }

    [Fact]
    public void With_a_role_map_only_mapped_roles_count()
    {
        var mapper = Mapper(map: new() { ["ward-nurse"] = "WardStaff", ["photo-reviewer"] = "reviewer" });

        Assert.Equal("WardStaff", mapper.AppRole(Principal(("roles", "Ward-Nurse"))));
        Assert.Equal("Reviewer", mapper.AppRole(Principal(("roles", "admin"), ("roles", "photo-reviewer"))));
        Assert.Null(mapper.AppRole(Principal(("roles", "Admin"))));
    }

    [Fact]
    public void Ward_values_come_as_names_ids_or_a_path()
    {
        var id = Guid.NewGuid().ToString();

        Assert.Equal(["Surgical Ward 3B", id], Mapper().WardValues(Principal(("ward", "Surgical Ward 3B"), ("ward", id), ("ward", " "))));
        Assert.Equal(["Medical Ward 2A"], Mapper(wardClaim: "mediafiles.wards").WardValues(Principal(("mediafiles", """{"wards":["Medical Ward 2A"]}"""))));
        Assert.Empty(Mapper().WardValues(Principal(("roles", "WardStaff"))));
    }
}
