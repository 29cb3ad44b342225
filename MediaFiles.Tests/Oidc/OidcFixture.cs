using System.Net;
using MediaFiles.Core.Data;
using MediaFiles.Tests.Browser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MediaFiles.Tests.Oidc;

/// <summary>
/// The test-hosted OpenID provider, two MediaFiles apps on Kestrel signing in through it (one reading a flat
/// <c>roles</c> claim, one Keycloak-style <c>realm_access.roles</c> with a role map), each over its own
/// SQLite file and media folder, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class OidcFixture : IAsyncLifetime
{
    public const string FlatClient = "mediafiles-flat";
    public const string KeycloakClient = "mediafiles-keycloak";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mf-oidc-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public TestOidcProvider Provider { get; private set; } = default!;

    /// <summary>RoleClaim "roles" (the default), WardClaim "ward" (the default).</summary>
    public OidcApp Flat { get; private set; } = default!;

    /// <summary>RoleClaim "realm_access.roles" and RoleMap medfiles-reviewer → Reviewer, as with a Keycloak realm.</summary>
    public OidcApp Keycloak { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;
    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots", "oidc");

    public async ValueTask InitializeAsync()
    {
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        if (!File.Exists(BrowserAppFixture.ChromiumPath))
            throw new InvalidOperationException($"Chromium is missing at {BrowserAppFixture.ChromiumPath}: run scripts/test.sh (it installs it), or apt-get install chromium.");
        Directory.CreateDirectory(_dir);
        Directory.CreateDirectory(ScreenshotDir);

        Provider = await TestOidcProvider.StartAsync();
        Flat = await OidcApp.StartAsync(Provider, Path.Combine(_dir, "flat"), FlatClient, new Dictionary<string, string?>());
        Keycloak = await OidcApp.StartAsync(Provider, Path.Combine(_dir, "keycloak"), KeycloakClient, new Dictionary<string, string?>
        {
            ["Auth:Oidc:RoleClaim"] = "realm_access.roles",
            ["Auth:Oidc:RoleMap:medfiles-reviewer"] = "Reviewer",
        });

        Provider.Users["nadia"] = new ProviderUser("idp-nadia-0001", "Nadia Berg", Roles: ["WardStaff"], Wards: ["Surgical Ward 3B"]);
        // Keycloak realm roles as a realm has them; the ward by its id (and one the app does not know).
        var medicalWard = await Keycloak.DbAsync(db => db.Wards.Where(w => w.Name == "Medical Ward 2A").Select(w => w.Id).SingleAsync());
        Provider.Users["ravi"] = new ProviderUser("idp-ravi-0002", "Ravi Kumar",
            RealmRoles: ["offline_access", "uma_authorization", "medfiles-reviewer"], Wards: [medicalWard.ToString(), "Ward 99"]);
        Provider.Users["vera"] = new ProviderUser("idp-vera-0003", "Vera Visitor", Roles: ["Visitor"], Wards: ["Surgical Ward 3B"]);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserAppFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Flat is not null) await Flat.DisposeAsync();
        if (Keycloak is not null) await Keycloak.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>One MediaFiles app in Oidc mode on real Kestrel (127.0.0.1, a free port), registered as a client of the provider.</summary>
public sealed class OidcApp : IAsyncDisposable
{
    public const string ClientSecret = "mediafiles-test-secret";

    private readonly KestrelFactory _factory;

    private OidcApp(KestrelFactory factory, string baseUrl)
    {
        _factory = factory;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<OidcApp> StartAsync(TestOidcProvider provider, string dir, string clientId, IDictionary<string, string?> extra)
    {
        Directory.CreateDirectory(dir);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:MediaFiles"] = $"Data Source={Path.Combine(dir, "mediafiles.db")};Pooling=False",
            ["MediaFiles:StorageRoot"] = Path.Combine(dir, "media"),
            ["Auth:Mode"] = "Oidc",
            ["Auth:Oidc:Authority"] = provider.Issuer,
            ["Auth:Oidc:ClientId"] = clientId,
            ["Auth:Oidc:ClientSecret"] = ClientSecret,
        };
        foreach (var (key, value) in extra) settings[key] = value;

        var factory = new KestrelFactory(settings);
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var app = new OidcApp(factory, address.TrimEnd('/'));
        await provider.RegisterClientAsync(clientId, ClientSecret, app.BaseUrl);
        return app;
    }

    /// <summary>A plain client of the app over real HTTP: no cookies kept, redirects not followed.</summary>
    public HttpClient CreateHttpClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };

    public async Task<T> DbAsync<T>(Func<MediaFilesDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>());
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class KestrelFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
