using System.Security.Claims;
using Bunit;
using MediaFiles.Core;
using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Auth;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MediaFiles.Tests.Components;

/// <summary>
/// A bUnit context with the services the media components inject, as the app registers them: the
/// real Core over a temp SQLite file and media folder (migrated and seeded), CoreScope,
/// CurrentUserAccessor over a signed-in principal made by <see cref="MediaFilesClaims.PrincipalFor"/>,
/// WardClock, a fixed antiforgery token and MudBlazor.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    public const string AntiforgeryTokenValue = "test-antiforgery-token";
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly TestAuthenticationStateProvider _auth = new();

    protected ComponentTestContext()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mediafiles-component-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaFiles:StorageRoot"] = Path.Combine(Directory, "media"),
        }).Build();

        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddLogging();
        Services.AddMediaFilesCore($"Data Source={Path.Combine(Directory, "mediafiles.db")};Pooling=False");
        Services.AddScoped<CoreScope>();
        Services.AddScoped<CurrentUserAccessor>();
        Services.AddScoped<MediaFiles.Web.Components.Media.DeleteConfirmation>();
        Services.AddSingleton<WardClock>();
        Services.AddSingleton<AuthenticationStateProvider>(_auth);
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgeryStateProvider());
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public string Directory { get; }

    public IMediaEventBus Bus => Services.GetRequiredService<IMediaEventBus>();

    /// <summary>Migrates and seeds the database, and signs in as the nurse (Surgical Ward 3B).</summary>
    public virtual async ValueTask InitializeAsync()
    {
        try
        {
            await using (var scope = Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>();
                await db.Database.MigrateAsync();
                await DemoSeeder.SeedAsync(db);
            }
            await SignInAsync("nurse");
        }
        catch
        {
            DeleteDirectory();
            throw;
        }
    }

    /// <summary>The signed-in user of the components.</summary>
    public CurrentUser User { get; private set; } = null!;

    protected async Task SignInAsync(string subject)
    {
        var user = await DbAsync(db => db.Users.AsNoTracking().Include(u => u.Wards).SingleAsync(u => u.Subject == subject));
        var principal = MediaFilesClaims.PrincipalFor(user, "Test");
        _auth.SignIn(principal);
        User = MediaFilesClaims.ToCurrentUser(principal)!;
    }

    public async Task<T> DbAsync<T>(Func<MediaFilesDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>());
    }

    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> work) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<Guid> PatientIdAsync(string name) =>
        DbAsync(db => db.Patients.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());

    /// <summary>A staged upload of the signed-in user, made by the real ingest pipeline.</summary>
    public Task<IngestResult> StageAsync(byte[] bytes, string fileName = "photo.jpg", string mime = "image/jpeg") =>
        WithAsync<MediaIngest, IngestResult>(p => p.IngestAsync(new MemoryStream(bytes),
            new IngestRequest(User.Id, fileName, mime, MediaCategory.Photos), null, CancellationToken.None));

    /// <summary>Uploads and attaches a photo through the Core, as the signed-in user.</summary>
    public async Task<(Guid PhotoId, Guid MediaFileId)> AddPhotoAsync(Guid patientId, DateTime eventUtc, string description = "")
    {
        var upload = await StageAsync(TestUploads.UniqueJpeg(160, 120));
        var id = await WithAsync<PhotoService, Guid>(s => s.CreateAsync(User, patientId, upload.UploadId, description, eventUtc));
        return (id, upload.MediaFileId);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        DeleteDirectory();
    }

    private void DeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or still open: a leftover temp folder is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class TestAuthenticationStateProvider : AuthenticationStateProvider
    {
        private AuthenticationState _state = new(new ClaimsPrincipal(new ClaimsIdentity()));

        public void SignIn(ClaimsPrincipal principal)
        {
            _state = new AuthenticationState(principal);
            NotifyAuthenticationStateChanged(Task.FromResult(_state));
        }

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(_state);
    }

    private sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new(AntiforgeryTokenValue, "__RequestVerificationToken");
    }
}
