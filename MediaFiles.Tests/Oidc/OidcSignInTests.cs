using System.Net;
using System.Text.RegularExpressions;
using MediaFiles.Core.Domain;
using MediaFiles.Tests.Browser;
using MediaFiles.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MediaFiles.Tests.Oidc;

/// <summary>
/// OpenID Connect sign-in end to end: Chromium signs in on the test-hosted provider's own login page
/// (authorization code + PKCE) and lands in the app with the role and wards its claims give.
/// </summary>
[Collection(MediaFiles.Tests.Browser.BrowserCollection.Name)]
public sealed class OidcSignInTests(OidcFixture oidc) : IClassFixture<OidcFixture>
{
    [Fact]
    public async Task Nurse_signs_in_at_the_provider_and_lands_on_the_patients_of_her_ward_as_WardStaff()
    {
        await using var context = await oidc.NewContextAsync();
        var page = await NewPageAsync(context);

        await page.GotoAsync($"{oidc.Flat.BaseUrl}/patients");
        await SignInAtProviderAsync(page, "nadia");

        await page.WaitForURLAsync($"{oidc.Flat.BaseUrl}/patients");
        await BrowserSteps.WaitInteractiveAsync(page);
        await Assertions.Expect(RoleChip(page)).ToHaveTextAsync(MediaFiles.Web.Auth.RoleWords.For(Roles.WardStaff));
        await Assertions.Expect(page.GetByTestId("current-user")).ToHaveTextAsync("Nadia Berg");
        await Assertions.Expect(PatientCard(page, "Helena Marsh")).ToBeVisibleAsync();
        await Assertions.Expect(PatientCard(page, "Amara Nwosu")).ToBeVisibleAsync();
        await Assertions.Expect(PatientCard(page, "Samuel Okoro")).ToHaveCountAsync(0);
        await BrowserSteps.ScreenshotAsync(page, oidc.ScreenshotDir, "01-nurse-patients");

        // The app user was created from the token: subject, name, role, ward by name.
        var user = await oidc.Flat.DbAsync(db => db.Users.AsNoTracking().Include(u => u.Wards).SingleAsync(u => u.Subject == "idp-nadia-0001"));
        Assert.Equal(("Nadia Berg", Roles.WardStaff), (user.DisplayName, user.Role));
        Assert.Equal(["Surgical Ward 3B"], user.Wards.Select(w => w.Name));
        // The app's cookie and the provider's are two cookies.
        var cookies = (await context.CookiesAsync()).Select(c => c.Name).ToList();
        Assert.Contains(AuthSetup.CookieName, cookies);
        Assert.Contains(TestOidcProvider.CookieName, cookies);
    }

    [Fact]
    public async Task Keycloak_style_realm_roles_are_read_and_mapped_and_the_ward_comes_by_id()
    {
        await using var context = await oidc.NewContextAsync();
        var page = await NewPageAsync(context);

        await page.GotoAsync($"{oidc.Keycloak.BaseUrl}/patients");
        await SignInAtProviderAsync(page, "ravi");

        await page.WaitForURLAsync($"{oidc.Keycloak.BaseUrl}/patients");
        await BrowserSteps.WaitInteractiveAsync(page);
        await Assertions.Expect(RoleChip(page)).ToHaveTextAsync(MediaFiles.Web.Auth.RoleWords.For(Roles.Reviewer));
        await Assertions.Expect(page.GetByTestId("current-user")).ToHaveTextAsync("Ravi Kumar");
        await Assertions.Expect(PatientCard(page, "Samuel Okoro")).ToBeVisibleAsync();
        await Assertions.Expect(PatientCard(page, "Helena Marsh")).ToHaveCountAsync(0);
        await BrowserSteps.ScreenshotAsync(page, oidc.ScreenshotDir, "02-reviewer-patients");

        var user = await oidc.Keycloak.DbAsync(db => db.Users.AsNoTracking().Include(u => u.Wards).SingleAsync(u => u.Subject == "idp-ravi-0002"));
        Assert.Equal(Roles.Reviewer, user.Role);
        Assert.Equal(["Medical Ward 2A"], user.Wards.Select(w => w.Name)); // "Ward 99" is ignored
    }

    [Fact]
    public async Task A_user_with_no_known_role_gets_the_no_access_page_and_no_session_then_can_switch_account()
    {
        await using var context = await oidc.NewContextAsync();
        var page = await NewPageAsync(context);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync($"{oidc.Flat.BaseUrl}/patients");
        var denied = page.WaitForResponseAsync(r => r.Url.StartsWith($"{oidc.Flat.BaseUrl}/account/denied", StringComparison.Ordinal));
        await SignInAtProviderAsync(page, "vera");

        Assert.Equal(200, (await denied).Status);
        await page.WaitForURLAsync($"{oidc.Flat.BaseUrl}/account/denied");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Access denied" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("access-denied-message"))
            .ToHaveTextAsync("Your account has no role in MediaFiles. Ask the ward administrator for access.");
        await BrowserSteps.ScreenshotAsync(page, oidc.ScreenshotDir, "03-no-access");
        Assert.DoesNotContain(AuthSetup.CookieName, (await context.CookiesAsync()).Select(c => c.Name));
        Assert.False(await oidc.Flat.DbAsync(db => db.Users.AnyAsync(u => u.Subject == "idp-vera-0003")));
        Assert.Empty(errors);

        // "Sign in with another account" asks the provider for its login form although its session is alive.
        await page.GetByTestId("signin-again").ClickAsync();
        await SignInAtProviderAsync(page, "nadia");
        await page.WaitForURLAsync($"{oidc.Flat.BaseUrl}/");
        await BrowserSteps.WaitInteractiveAsync(page);
        await Assertions.Expect(RoleChip(page)).ToHaveTextAsync(MediaFiles.Web.Auth.RoleWords.For(Roles.WardStaff));
    }

    [Fact]
    public async Task Signing_out_ends_the_provider_session_too()
    {
        await using var context = await oidc.NewContextAsync();
        var page = await NewPageAsync(context);
        await page.GotoAsync($"{oidc.Flat.BaseUrl}/patients");
        await SignInAtProviderAsync(page, "nadia");
        await page.WaitForURLAsync($"{oidc.Flat.BaseUrl}/patients");
        await BrowserSteps.WaitInteractiveAsync(page);
        await page.GotoAsync($"{oidc.Provider.Issuer}session");
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync("signed-in:nadia");
        await page.GotoAsync($"{oidc.Flat.BaseUrl}/patients");
        await BrowserSteps.WaitInteractiveAsync(page);
        var cspViolations = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) cspViolations.Add(message.Text); };
        var endSessions = oidc.Provider.EndSessions;

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();

        // Through the provider's end-session endpoint and back to the app's signed-out page.
        await page.WaitForURLAsync($"{oidc.Flat.BaseUrl}/account/signedout");
        await Assertions.Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();
        await BrowserSteps.ScreenshotAsync(page, oidc.ScreenshotDir, "04-signed-out");
        Assert.Empty(cspViolations);
        Assert.Equal(endSessions + 1, oidc.Provider.EndSessions);
        Assert.Equal(OidcFixture.FlatClient, oidc.Provider.LastEndSessionClient); // the ID token went along as id_token_hint
        Assert.DoesNotContain(AuthSetup.CookieName, (await context.CookiesAsync()).Select(c => c.Name));

        // The provider itself has no session any more ...
        await page.GotoAsync($"{oidc.Provider.Issuer}session");
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync("anonymous");
        // ... so opening the app asks for the password again instead of signing straight back in.
        await page.GotoAsync($"{oidc.Flat.BaseUrl}/patients");
        await Assertions.Expect(page.GetByTestId("provider-login")).ToBeVisibleAsync();
        Assert.StartsWith(oidc.Provider.Issuer, page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Oidc_mode_the_development_sign_in_does_not_exist_and_sign_in_goes_to_the_provider()
    {
        using var http = oidc.Flat.CreateHttpClient();

        using var devSignIn = await http.PostAsync("/auth/dev/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["subject"] = "admin" }));
        using var picker = await http.GetAsync("/account/signin?returnUrl=%2Fpatients");
        using var page = await http.GetAsync("/patients");
        using var api = await http.GetAsync("/api/patients");
        using var challenge = await http.GetAsync("/auth/signin?returnUrl=%2Fpatients");

        Assert.Equal(HttpStatusCode.NotFound, devSignIn.StatusCode);
        Assert.Equal(HttpStatusCode.Found, picker.StatusCode);
        Assert.Equal($"{oidc.Flat.BaseUrl}/auth/signin?returnUrl=%2Fpatients", picker.Headers.Location?.ToString());
        Assert.DoesNotContain("dev-signin-warning", await picker.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith($"{oidc.Flat.BaseUrl}/auth/signin?ReturnUrl=%2Fpatients", page.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        // The challenge: authorization code with PKCE at the provider's authorization endpoint.
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Equal($"{oidc.Provider.Issuer}connect/authorize", authorize.GetLeftPart(UriPartial.Path));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["code_challenge"].ToString()));
        Assert.Equal(OidcFixture.FlatClient, query["client_id"].ToString());
        Assert.Equal(["openid", "profile", "roles"], query["scope"].ToString().Split(' '));
        Assert.Equal($"{oidc.Flat.BaseUrl}/signin-oidc", query["redirect_uri"].ToString());
        // The sign-out form's redirect to the provider is allowed by the page CSP, and only that origin is added.
        Assert.Matches(new Regex($"form-action 'self' {Regex.Escape(oidc.Provider.Issuer.TrimEnd('/'))};"), string.Join(";", api.Headers.GetValues("Content-Security-Policy")) + ";");
    }

    private static async Task<IPage> NewPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Fills in the provider's own login form (the browser is expected to be on it).</summary>
    private async Task SignInAtProviderAsync(IPage page, string userName)
    {
        var form = page.GetByTestId("provider-login");
        await Assertions.Expect(form).ToBeVisibleAsync();
        Assert.StartsWith(oidc.Provider.Issuer, page.Url, StringComparison.Ordinal);
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(TestOidcProvider.Password);
        await page.Locator("#provider-signin").ClickAsync();
    }

    private static ILocator RoleChip(IPage page) => page.Locator(".mud-appbar .mud-chip");

    private static ILocator PatientCard(IPage page, string name) =>
        page.GetByTestId("patient-card").Filter(new LocatorFilterOptions { HasText = name });
}
