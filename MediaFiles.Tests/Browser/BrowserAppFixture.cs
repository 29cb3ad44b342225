using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MediaFiles.Tests.Browser;

/// <summary>
/// The whole app on real Kestrel (loopback, a free port) over its own SQLite file and media folder,
/// and Debian's Chromium driven by Playwright. Playwright cannot download a browser here; the test
/// command installs /usr/bin/chromium (scripts/test.sh).
/// </summary>
public class BrowserAppFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mf-browser-" + Guid.NewGuid().ToString("N"));
    private KestrelFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";
    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}: run scripts/test.sh (it installs it), or apt-get install chromium.");
        Directory.CreateDirectory(_dir);
        Directory.CreateDirectory(ScreenshotDir);
        // Waits are on conditions; the bound only decides when a slow machine counts as a failure.
        Assertions.SetDefaultExpectTimeout(15_000);
        _factory = new KestrelFactory(_dir, ConfigureServices);
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1").TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>Replaces app services for a fixture of its own (e.g. a clock the test moves).</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed class KestrelFactory(string dir, Action<IServiceCollection> configureServices) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureServices(configureServices);
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:MediaFiles", $"Data Source={Path.Combine(dir, "mediafiles.db")}");
            builder.UseSetting("MediaFiles:StorageRoot", Path.Combine(dir, "media"));
        }
    }
}

/// <summary>
/// The app with a clock the test moves by hand (it also ticks a millisecond a reading, so "newest
/// first" orders hold). Its own app and database, so no other flow runs on a stopped clock.
/// </summary>
public sealed class ClockedBrowserAppFixture : BrowserAppFixture
{
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        // The ward clock reads the same clock, in UTC, so the day headers are predictable.
        services.AddSingleton(sp => new MediaFiles.Core.WardClock(
            Microsoft.Extensions.Options.Options.Create(new MediaFiles.Core.MediaFilesOptions { TimeZone = "UTC" }), Clock));
    }
}
