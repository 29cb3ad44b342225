using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaFiles.Tests.Hostile;

/// <summary>The app with the upload rate limit out of the way, recording every log entry at Warning or above.</summary>
public sealed class ConcurrentUploadApp() : MediaFilesWebFactory(Settings, "Development")
{
    private static readonly Dictionary<string, string?> Settings = new() { ["MediaFiles:RateLimits:UploadsPerHour"] = "100000" };

    public ConcurrentQueue<LoggedProblem> Problems { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(new ProblemRecorder(Problems)));
    }

    public sealed record LoggedProblem(string Category, LogLevel Level, string Message, string? Exception);

    private sealed class ProblemRecorder(ConcurrentQueue<LoggedProblem> problems) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, problems);
        public void Dispose() { }
    }

    private sealed class Recorder(string category, ConcurrentQueue<LoggedProblem> problems) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) problems.Enqueue(new LoggedProblem(category, logLevel, formatter(state, exception), exception?.ToString()));
        }
    }
}

/// <summary>
/// Fifty uploads at once through the real endpoint, half of them repeats: one blob per distinct
/// hash, its reference count and staged uploads exactly the number of uploads of it, four files per
/// blob, no temp file, and no error but the one a lost dedup race is expected to log.
/// </summary>
public sealed class ConcurrentUploadTests(ConcurrentUploadApp app) : IClassFixture<ConcurrentUploadApp>
{
    private const int Distinct = 25;

    /// <summary>How often each distinct image is sent: 5 × 3, 15 × 2, 5 × 1 = 50 uploads of 25 images.</summary>
    private static int Copies(int image) => image < 5 ? 3 : image < 20 ? 2 : 1;

    [Fact]
    public async Task Fifty_uploads_at_once_half_of_them_repeats_keep_one_blob_per_hash_with_exact_references()
    {
        var images = Enumerable.Range(0, Distinct).Select(_ => TestUploads.UniqueJpeg(320, 240)).ToList();
        var hashes = images.Select(Sha256).ToList();
        Assert.Equal(Distinct, hashes.Distinct().Count());
        // Round by round (every image, then the repeated ones again, then the thrice-sent ones), so the
        // copies of one image are spread over the batch and over the two users.
        var order = Enumerable.Range(0, 3).SelectMany(round => Enumerable.Range(0, Distinct).Where(i => Copies(i) > round)).ToList();
        Assert.Equal(50, order.Count);
        using var nurse = await app.SignInAsync("nurse");
        using var otherNurse = await app.SignInAsync("nurse-2a");
        var before = await app.SnapshotAsync();
        var auditsBefore = await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.MediaUpload));

        using var start = new SemaphoreSlim(0);
        var sending = order.Select(async (image, n) =>
        {
            var client = n % 2 == 0 ? nurse : otherNurse;
            await start.WaitAsync();
            using var response = await client.PostUploadAsync(images[image], $"wound {image} copy {n}.jpg");
            var body = await response.Content.ReadAsStringAsync();
            return (Image: image, Status: response.StatusCode, Body: body);
        }).ToList();
        start.Release(order.Count);
        var results = await Task.WhenAll(sending);

        // Every upload answered 201, saved or duplicate: no 409, 429, 500 or "database is locked".
        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.Created, $"image {r.Image}: {(int)r.Status} {r.Body}"));
        var replies = results.Select(r => (r.Image, Reply: JsonSerializer.Deserialize<UploadReply>(r.Body, JsonSerializerOptions.Web)!)).ToList();
        Assert.Equal(50, replies.Select(r => r.Reply.UploadId).Distinct().Count());

        foreach (var group in replies.GroupBy(r => r.Image))
        {
            var image = group.Key;
            // One blob per image, named in every reply about it; exactly one upload of it stored the bytes.
            var mediaFileId = Assert.Single(group.Select(r => r.Reply.MediaFileId).Distinct());
            Assert.Equal(1, group.Count(r => r.Reply.Outcome == "saved"));
            Assert.Equal(Copies(image) - 1, group.Count(r => r.Reply.Outcome == "duplicate"));

            var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Sha256 == hashes[image]));
            Assert.Equal(mediaFileId, media.Id);
            Assert.Equal(Copies(image), media.ReferenceCount);
            Assert.Equal(images[image].Length, media.Size);
            Assert.Equal(images[image], await File.ReadAllBytesAsync(app.FullPath(media.FilePath)));

            var staged = await app.DbAsync(db => db.StagedUploads.AsNoTracking().Where(s => s.MediaFileId == media.Id).ToListAsync());
            Assert.Equal(group.Select(r => r.Reply.UploadId).Order(), staged.Select(s => s.Id).Order());
            Assert.Equal(1, staged.Count(s => !s.WasDuplicate));
        }

        var after = await app.SnapshotAsync();
        Assert.Equal(before.MediaFiles + Distinct, after.MediaFiles);
        Assert.Equal(before.StagedUploads + 50, after.StagedUploads);
        Assert.Equal(before.Events, after.Events);
        Assert.Equal(Distinct, await app.DbAsync(db => db.MediaFiles.Where(m => hashes.Contains(m.Sha256)).CountAsync()));

        // Exactly four files per blob, and no file of a race's loser left behind.
        var blobs = await app.DbAsync(db => db.MediaFiles.AsNoTracking().Where(m => hashes.Contains(m.Sha256)).ToListAsync());
        var expectedFiles = blobs.SelectMany(m => new BlobFiles(m.FilePath, m.MimeType).Owned).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(4 * Distinct, expectedFiles.Count);
        var newFiles = after.Files.Except(before.Files).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedFiles.Order(StringComparer.Ordinal), newFiles);
        Assert.Empty(app.TempFiles());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<IntegrityScanner>().ScanAsync(null, CancellationToken.None);
            Assert.True(report.IsClean, $"missing [{string.Join(", ", report.MissingFiles)}], mismatched [{string.Join(", ", report.HashMismatches)}], orphans [{string.Join(", ", report.Orphans)}]");
        }

        var audits = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.MediaUpload).OrderBy(a => a.Id).Skip(auditsBefore).ToListAsync());
        Assert.Equal(50, audits.Count);
        Assert.All(audits, a => Assert.True(a.Success, a.Details));
        Assert.Equal(Distinct, audits.Count(a => a.Details == "saved"));

        // The only error allowed is the unique index settling a dedup race (the loser stages the winner):
        // EF logs the failed INSERT and the failed SaveChanges once each per lost race.
        var errors = app.Problems.Where(p => p.Level >= LogLevel.Error).ToList();
        var lostSaves = errors.Where(p => p.Category == "Microsoft.EntityFrameworkCore.Update"
            && $"{p.Message}\n{p.Exception}".Contains("UNIQUE constraint failed: mediafiles_mediafile.sha256", StringComparison.Ordinal)).ToList();
        var lostInserts = errors.Where(p => p.Category == "Microsoft.EntityFrameworkCore.Database.Command"
            && p.Message.StartsWith("Failed executing DbCommand", StringComparison.Ordinal)
            && p.Message.Contains("INSERT INTO \"mediafiles_mediafile\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(lostSaves.Count, lostInserts.Count);
        Assert.InRange(lostSaves.Count, 0, 50 - Distinct);
        var unexpected = errors.Except(lostSaves).Except(lostInserts)
            .Concat(app.Problems.Where(p => p.Level == LogLevel.Warning && p.Category.StartsWith("MediaFiles.", StringComparison.Ordinal)))
            .ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n\n", unexpected.Select(p => $"{p.Level} {p.Category}: {p.Message}\n{p.Exception}")));
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
