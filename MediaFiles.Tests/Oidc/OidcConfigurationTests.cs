using System.Net;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace MediaFiles.Tests.Oidc;

/// <summary>Which Auth settings start the app, which refuse to, and how the section binds.</summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class OidcConfigurationTests
{
    private static Dictionary<string, string?> Oidc(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Oidc",
            ["Auth:Oidc:Authority"] = "https://login.example.org/realms/hospital",
            ["Auth:Oidc:ClientId"] = "mediafiles",
            ["Auth:Oidc:ClientSecret"] = "secret",
        };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    [Theory]
    [InlineData("Auth:Oidc:Authority", "Auth:Oidc:Authority is not set")]
    [InlineData("Auth:Oidc:ClientId", "Auth:Oidc:ClientId is not set")]
    public async Task Oidc_mode_without_authority_or_client_id_refuses_to_start(string missing, string message)
    {
        await using var app = MediaFilesWebFactory.With(Oidc((missing, null)), Environments.Production);

        var ex = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("http://login.example.org/", "must use https")]
    [InlineData("not a url", "is not an absolute http(s) URL")]
    public async Task An_authority_that_is_not_https_refuses_to_start_except_on_loopback(string authority, string message)
    {
        await using var app = MediaFilesWebFactory.With(Oidc(("Auth:Oidc:Authority", authority)), Environments.Production);

        var ex = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task A_role_map_to_a_role_the_app_does_not_have_refuses_to_start()
    {
        await using var app = MediaFilesWebFactory.With(Oidc(("Auth:Oidc:RoleMap:nurses", "Nurse")), Environments.Production);

        var ex = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("maps 'nurses' to 'Nurse', which is not a MediaFiles role", ex.Message);
    }

    [Fact]
    public async Task The_development_sign_in_is_refused_while_OpenID_Connect_is_configured()
    {
        var settings = Oidc();
        settings["Auth:Mode"] = "Development";
        await using var app = MediaFilesWebFactory.With(settings, Environments.Development);

        var ex = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("the development sign-in is refused while OpenID Connect is configured", ex.Message);
    }

    [Fact]
    public async Task An_unknown_mode_refuses_to_start()
    {
        await using var app = MediaFilesWebFactory.With(new Dictionary<string, string?> { ["Auth:Mode"] = "Saml" }, Environments.Development);

        var ex = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("Auth:Mode 'Saml' is not supported", ex.Message);
    }

    [Fact]
    public async Task Oidc_mode_runs_as_Production_without_the_picker()
    {
        await using var app = MediaFilesWebFactory.With(Oidc(), Environments.Production);
        using var http = app.CreateCookieClient();

        using var devSignIn = await http.PostAsync("/auth/dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["subject"] = "admin" }));
        using var picker = await http.GetAsync("/account/signin");
        using var page = await http.GetAsync("/patients");

        Assert.Equal(HttpStatusCode.NotFound, devSignIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, picker.StatusCode);
        Assert.Equal("http://localhost/auth/signin?returnUrl=%2F", picker.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/auth/signin?ReturnUrl=%2Fpatients", page.Headers.Location?.ToString());
        Assert.Contains("form-action 'self' https://login.example.org;", string.Join(";", page.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public void Configured_scopes_replace_the_default_instead_of_adding_to_it()
    {
        var configured = Bind(("Auth:Mode", "Oidc"), ("Auth:Oidc:Authority", "https://idp.example"), ("Auth:Oidc:ClientId", "c"),
            ("Auth:Oidc:Scopes:0", "profile"), ("Auth:Oidc:Scopes:1", "email wards"));
        var unset = Bind(("Auth:Mode", "oidc"), ("Auth:Oidc:Authority", "https://idp.example"), ("Auth:Oidc:ClientId", "c"));

        Assert.Equal(["openid", "profile", "email", "wards"], configured.Oidc.EffectiveScopes);
        Assert.Equal(["openid", "profile", "roles"], unset.Oidc.EffectiveScopes);
        Assert.True(unset.IsOidc);
        Assert.Equal(("roles", "ward"), (unset.Oidc.RoleClaim, unset.Oidc.WardClaim));
    }

    [Fact]
    public void Role_map_keys_are_case_insensitive()
    {
        var options = Bind(("Auth:Mode", "Oidc"), ("Auth:Oidc:Authority", "http://127.0.0.1:8080/realms/x"), ("Auth:Oidc:ClientId", "c"),
            ("Auth:Oidc:RoleMap:Ward-Nurse", "wardstaff"));

        Assert.True(options.Oidc.IsLoopbackHttp);
        var mapper = new OidcClaimMapper(options.Oidc);
        Assert.Equal("WardStaff", mapper.AppRole(OidcClaimMapperTests.Principal(("roles", "WARD-NURSE"))));
    }

    [Fact]
    public void The_default_is_the_development_sign_in()
    {
        var options = Bind();

        Assert.True(options.IsDevelopment);
        Assert.False(options.IsOidc);
    }

    private static AuthOptions Bind(params (string Key, string? Value)[] settings) =>
        AuthOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build());
}
