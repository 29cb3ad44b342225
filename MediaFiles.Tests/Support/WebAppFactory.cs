using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MediaFiles.Core.Data;
using MediaFiles.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Support;

/// <summary>
/// The whole web app in memory (TestServer) over a temp folder of its own: a real SQLite file and a
/// real media folder. Program migrates and seeds the demo data at startup. Disposing it removes the
/// folder.
/// </summary>
/// <remarks>
/// Use as a class fixture (<c>IClassFixture&lt;MediaFilesWebFactory&gt;</c>), or create one with
/// extra settings for a single test (<c>await using var app = new MediaFilesWebFactory(...)</c>).
/// </remarks>
public class MediaFilesWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    public MediaFilesWebFactory() : this(null, "Development") { }

    /// <summary>An app with extra settings or another environment (one constructor only: xunit builds fixtures).</summary>
    /// <param name="settings">Extra configuration, keys as in appsettings (e.g. "MediaFiles:Images:MaxBytes").</param>
    /// <param name="environment">The host environment (the factory's default is Development).</param>
    public static MediaFilesWebFactory With(IReadOnlyDictionary<string, string?>? settings, string environment = "Development") =>
        new Configured(settings, environment);

    protected MediaFilesWebFactory(IReadOnlyDictionary<string, string?>? settings, string environment)
    {
        Directory = Path.Combine(Path.GetTempPath(), "mediafiles-web-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            // Pooling off: no connection keeps the file open once the app has stopped.
            ["ConnectionStrings:MediaFiles"] = $"Data Source={DatabasePath};Pooling=False",
            ["MediaFiles:StorageRoot"] = StorageRoot,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    private sealed class Configured(IReadOnlyDictionary<string, string?>? settings, string environment)
        : MediaFilesWebFactory(settings, environment);

    /// <summary>The temp folder holding everything of this app.</summary>
    public string Directory { get; }
    public string StorageRoot => Path.Combine(Directory, "media");
    public string DatabasePath => Path.Combine(Directory, "mediafiles.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // UseSetting reaches the configuration before Program reads it (the connection string is read
        // while the services are added, before Build).
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>Starts the app (migrations and demo seed run here).</summary>
    public async ValueTask InitializeAsync()
    {
        try
        {
            _ = Server;
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: remove the folder here.
            await DisposeAsync();
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
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

    /// <summary>A client that keeps cookies and does not follow redirects (so a 302 can be asserted).</summary>
    public HttpClient CreateCookieClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    /// <summary>Signs in through the development sign-in form as one of the seeded subjects.</summary>
    public async Task<SignedInClient> SignInAsync(string subject)
    {
        var http = CreateCookieClient();
        try
        {
            var anonymousToken = await SignedInClient.FetchTokenAsync(http);
            using var response = await http.PostAsync("/auth/dev/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["subject"] = subject,
                ["__RequestVerificationToken"] = anonymousToken,
            }));
            if (response.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"Sign-in as '{subject}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            // The antiforgery token is bound to the user: fetch a new one now that the cookie is set.
            var token = await SignedInClient.FetchTokenAsync(http);
            return new SignedInClient(http, subject, token);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Reads (or changes) the database through a fresh context of the app's own container.</summary>
    public async Task<T> DbAsync<T>(Func<MediaFilesDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>());
    }

    /// <summary>Ages every deleted entry past the retention and runs the purge, as the maintenance job would.</summary>
    public async Task<MediaFiles.Core.Trash.PurgeResult> PurgeDeletedAsync()
    {
        var age = TimeSpan.FromDays(1) + Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MediaFiles.Core.MediaFilesOptions>>().Value.DeletedRetention;
        var longAgo = DateTime.UtcNow - age;
        await DbAsync(db => db.Events.IgnoreQueryFilters().Where(e => e.DeletedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DeletedAt, longAgo)));
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MediaFiles.Core.Trash.DeletedEvents>().PurgeExpiredAsync(null);
    }

    /// <summary>The id of the seeded user with this subject.</summary>
    public Task<Guid> UserIdAsync(string subject) =>
        DbAsync(db => db.Users.Where(u => u.Subject == subject).Select(u => u.Id).SingleAsync());

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

    /// <summary>Files in the store's temp folder.</summary>
    public IReadOnlyList<string> TempFiles() =>
        StoredFiles().Where(f => f.StartsWith(LocalMediaStore.TempFolder + "/", StringComparison.Ordinal)).ToList();

    /// <summary>The rows and files an upload can leave behind, to compare before and after.</summary>
    public async Task<StoreSnapshot> SnapshotAsync() => new(
        await DbAsync(db => db.MediaFiles.CountAsync()),
        await DbAsync(db => db.StagedUploads.CountAsync()),
        await DbAsync(db => db.Events.CountAsync()),
        StoredFiles());
}

public sealed record StoreSnapshot(int MediaFiles, int StagedUploads, int Events, IReadOnlyList<string> Files)
{
    /// <summary>Compares the lists by content (a record compares the list by reference).</summary>
    public void AssertSameAs(StoreSnapshot other)
    {
        Assert.Equal(other.MediaFiles, MediaFiles);
        Assert.Equal(other.StagedUploads, StagedUploads);
        Assert.Equal(other.Events, Events);
        Assert.Equal(other.Files, Files);
    }
}

/// <summary>A cookie-keeping client signed in as one seeded user, with that user's antiforgery token.</summary>
public sealed class SignedInClient(HttpClient http, string subject, string token) : IDisposable
{
    public const string TokenHeader = "RequestVerificationToken";

    public HttpClient Http { get; } = http;
    public string Subject { get; } = subject;
    public string Token { get; } = token;

    public static async Task<string> FetchTokenAsync(HttpClient http)
    {
        var reply = await http.GetFromJsonAsync<AntiforgeryReply>("/api/antiforgery", JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("No antiforgery token.");
        if (reply.HeaderName != TokenHeader)
            throw new InvalidOperationException($"The antiforgery header is '{reply.HeaderName}', not '{TokenHeader}'.");
        return reply.Token;
    }

    /// <summary>A request that carries the antiforgery header (unless <paramref name="withToken"/> is false).</summary>
    public HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content = null, bool withToken = true)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (withToken) request.Headers.Add(TokenHeader, Token);
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null, bool withToken = true)
    {
        using var request = Request(method, url, content, withToken);
        return await Http.SendAsync(request);
    }

    /// <summary>The raw upload request, as the browser's upload script sends it.</summary>
    public static HttpRequestMessage UploadRequest(HttpContent body, string fileName, string? contentType, string? token,
        Guid? batch = null, string? key = null, IEnumerable<string>? extraQuery = null)
    {
        var query = new List<string>(extraQuery ?? []);
        if (batch is { } b) query.Add($"batch={b}");
        if (key is not null) query.Add($"key={Uri.EscapeDataString(key)}");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/uploads" + (query.Count > 0 ? "?" + string.Join('&', query) : ""))
        {
            Content = body,
        };
        if (contentType is not null) body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-File-Name", Uri.EscapeDataString(fileName));
        if (token is not null) request.Headers.Add(TokenHeader, token);
        return request;
    }

    /// <summary>POST /api/uploads with the bytes as the raw body; returns the raw response.</summary>
    public async Task<HttpResponseMessage> PostUploadAsync(byte[] bytes, string fileName, string? contentType = "image/jpeg",
        bool withToken = true, Guid? batch = null, string? key = null)
    {
        using var request = UploadRequest(new ByteArrayContent(bytes), fileName, contentType, withToken ? Token : null, batch, key);
        return await Http.SendAsync(request);
    }

    /// <summary>Uploads and expects 201; returns the reply.</summary>
    public async Task<UploadReply> UploadAsync(byte[] bytes, string fileName, string contentType = "image/jpeg")
    {
        using var response = await PostUploadAsync(bytes, fileName, contentType);
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
    }

    /// <summary>Attaches a staged upload as a Photo event; expects 201 and returns the photo id.</summary>
    public async Task<Guid> CreatePhotoAsync(Guid patientId, Guid uploadId, string? description = null, DateTime? eventDateTime = null)
    {
        using var response = await PostJsonAsync($"/api/patients/{patientId}/photos", new { uploadId, description, eventDateTime });
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<CreatedReply>(JsonSerializerOptions.Web))!.Id;
    }

    /// <summary>Uploads and attaches in one go; returns the photo id and the upload reply.</summary>
    public async Task<(Guid PhotoId, UploadReply Upload)> AddPhotoAsync(Guid patientId, byte[] bytes, string fileName,
        string? description = null, DateTime? eventDateTime = null)
    {
        var upload = await UploadAsync(bytes, fileName);
        return (await CreatePhotoAsync(patientId, upload.UploadId, description, eventDateTime), upload);
    }

    public Task<HttpResponseMessage> PostJsonAsync<T>(string url, T body) =>
        SendAsync(HttpMethod.Post, url, JsonContent.Create(body, options: JsonSerializerOptions.Web));

    public Task<HttpResponseMessage> PatchJsonAsync<T>(string url, T body) =>
        SendAsync(HttpMethod.Patch, url, JsonContent.Create(body, options: JsonSerializerOptions.Web));

    public async Task<T> GetJsonAsync<T>(string url)
    {
        using var response = await Http.GetAsync(url);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }

    /// <summary>The id of the patient with exactly this name, found through GET /api/patients?search=.</summary>
    public async Task<Guid> PatientIdAsync(string name)
    {
        var found = await GetJsonAsync<List<PatientReply>>($"/api/patients?search={Uri.EscapeDataString(name)}");
        return found.Single(p => p.Name == name).Id;
    }

    public Task<List<TimelineReply>> TimelineAsync(Guid patientId) =>
        GetJsonAsync<List<TimelineReply>>($"/api/patients/{patientId}/timeline");

    /// <summary>Fails with the response body when the status is not the expected one.</summary>
    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"Expected {(int)expected} {expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => Http.Dispose();

    private sealed record AntiforgeryReply(string HeaderName, string Token);
    private sealed record CreatedReply(Guid Id);
}

public sealed record UploadReply(Guid UploadId, Guid MediaFileId, string Outcome, string FileName, long Size, int? Width, int? Height, string? Kind = null, DateTime? CapturedAt = null);

public sealed record PatientReply(Guid Id, string Name, string Ward, string? Bed, int MediaCount);

public sealed record TimelineReply(Guid EventId, DateTime EventDateTime, string Description, Guid CreatedById, string CreatedByName,
    Guid MediaFileId, int? Width, int? Height, long Size, string OriginalFilename);

/// <summary>The problem details of a refused request.</summary>
public sealed record ProblemReply(int? Status, string? Title, string? Detail, string? Code);
