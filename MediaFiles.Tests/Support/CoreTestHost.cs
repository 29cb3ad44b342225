using MediaFiles.Core;
using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaFiles.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    public DateTime UtcNow => _now.UtcDateTime;
    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// The Core services over a temp folder of their own: a storage root and a real SQLite file,
/// migrated and seeded with the demo wards, users and patients. One per test; disposing it
/// removes the folder.
/// </summary>
public sealed class CoreTestHost : IAsyncDisposable
{
    /// <summary>The fake "now" every host starts at (so paths are photos/2026/03/...).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);

    private CoreTestHost(string directory, ServiceProvider services, TestClock clock)
    {
        Directory = directory;
        Services = services;
        Clock = clock;
    }

    /// <summary>The temp folder holding everything of this host.</summary>
    public string Directory { get; }
    public string StorageRoot => Path.Combine(Directory, "media");
    public string DatabasePath => Path.Combine(Directory, "mediafiles.db");
    public ServiceProvider Services { get; }
    public TestClock Clock { get; }
    public MediaFilesOptions Options => Services.GetRequiredService<IOptions<MediaFilesOptions>>().Value;

    /// <param name="settings">Extra configuration, keys as in appsettings (e.g. "MediaFiles:Images:MaxBytes").</param>
    public static async Task<CoreTestHost> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mediafiles-core-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);

        var values = new Dictionary<string, string?> { ["MediaFiles:StorageRoot"] = Path.Combine(directory, "media") };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var clock = new TestClock(Start);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        // Pooling off: no connection keeps the file open once the host is disposed.
        services.AddMediaFilesCore($"Data Source={Path.Combine(directory, "mediafiles.db")};Pooling=False");
        services.AddSingleton<TimeProvider>(clock);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var host = new CoreTestHost(directory, provider, clock);
        try
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>();
            await db.Database.MigrateAsync();
            await DemoSeeder.SeedAsync(db);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    /// <summary>Runs <paramref name="work"/> with a service from a fresh scope (a fresh DbContext).</summary>
    public async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task WithAsync<TService>(Func<TService, Task> work) where TService : notnull
    {
        await using var scope = CreateScope();
        await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Reads the database through a fresh context.</summary>
    public Task<TResult> DbAsync<TResult>(Func<MediaFilesDbContext, Task<TResult>> query) => WithAsync(query);

    /// <summary>
    /// The signed-in user as the Core sees it, built from the seeded AppUser row: ward ids and the
    /// hospitals of those wards (as the sign-in claims carry them).
    /// </summary>
    public Task<CurrentUser> UserAsync(string subject) => DbAsync(async db =>
    {
        var user = await db.Users.AsNoTracking().Include(u => u.Wards).SingleAsync(u => u.Subject == subject);
        return new CurrentUser(user.Id, user.DisplayName, user.Role, user.Wards.Select(w => w.Id).ToHashSet())
        {
            Hospitals = user.Wards.Select(w => w.Hospital).ToHashSet(),
        };
    });

    /// <summary>The id of the seeded patient with this name.</summary>
    public Task<Guid> PatientIdAsync(string name) =>
        DbAsync(db => db.Patients.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());

    /// <summary>Runs the ingest pipeline in its own scope, as the HTTP endpoint does, reading the bytes from a file.</summary>
    public async Task<IngestResult> IngestAsync(byte[] bytes, string fileName, string? declaredMime, Guid userId,
        IProgress<IngestStage>? progress = null)
    {
        var input = TestImages.Save(bytes, Path.Combine(Directory, "input"), $"{Guid.NewGuid():N}.bin");
        await using var body = File.OpenRead(input);
        return await WithAsync<MediaIngest, IngestResult>(p =>
            p.IngestAsync(body, new IngestRequest(userId, fileName, declaredMime, MediaCategory.Photos), progress, CancellationToken.None));
    }

    /// <summary>Full local path of a store-relative path.</summary>
    public string FullPath(string relativePath) => Path.Combine(StorageRoot, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Every file under the storage root (temp files included), as sorted relative paths with forward slashes.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        !System.IO.Directory.Exists(StorageRoot)
            ? []
            : System.IO.Directory.EnumerateFiles(StorageRoot, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(StorageRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)
                .ToList();

    public int CountStoredFiles() => StoredFiles().Count;

    /// <summary>Files in the store's temp folder.</summary>
    public IReadOnlyList<string> TempFiles() =>
        StoredFiles().Where(f => f.StartsWith(LocalMediaStore.TempFolder + "/", StringComparison.Ordinal)).ToList();

    /// <summary>No file anywhere under the storage root (empty folders are fine), no MediaFile row and no StagedUpload row.</summary>
    public async Task AssertNothingLeftBehindAsync()
    {
        Assert.Empty(StoredFiles());
        Assert.Equal(0, await DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.Equal(0, await DbAsync(db => db.StagedUploads.CountAsync()));
    }

    /// <summary>Lets the retention of deleted entries pass and runs the purge: what a delete finally removes.</summary>
    public async Task<MediaFiles.Core.Trash.PurgeResult> PurgeAfterRetentionAsync()
    {
        Clock.Advance(Options.DeletedRetention + TimeSpan.FromMinutes(1));
        return await WithAsync<MediaFiles.Core.Trash.DeletedEvents, MediaFiles.Core.Trash.PurgeResult>(d => d.PurgeExpiredAsync(null));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
