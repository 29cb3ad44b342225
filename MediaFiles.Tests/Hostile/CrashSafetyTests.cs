using System.Data.Common;
using System.Security.Cryptography;
using MediaFiles.Core;
using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Imaging;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaFiles.Tests.Hostile;

/// <summary>
/// Ingest writes temp → places → commits the row. A failure injected at each stage must throw and
/// leave nothing; a hard crash (no clean-up runs at all) leaves files that the start-up sweep removes,
/// after which an integrity scan is clean and the media that was committed is untouched.
/// </summary>
public sealed class CrashSafetyTests
{
    private const string Patient = "Helena Marsh";

    /// <summary>Where the injected failure strikes.</summary>
    public enum InjectAt
    {
        /// <summary>The upload is received into its temp file; creating the first variant's temp file fails.</summary>
        OriginalReceived,
        /// <summary>All three variants are encoded into temp files; placing the original fails.</summary>
        VariantsEncoded,
        /// <summary>The original is placed; placing the large variant fails.</summary>
        OriginalPlaced,
        /// <summary>Original, large and medium are placed; placing the thumbnail fails.</summary>
        TwoVariantsPlaced,
        /// <summary>Everything is placed; SaveChanges fails before a row is written.</summary>
        BeforeCommit,
        /// <summary>The rows are inserted; the transaction's COMMIT fails.</summary>
        DuringCommit,
    }

    /// <summary>The state a process killed at some point of an ingest leaves behind (no finally block ran).</summary>
    public enum CrashState
    {
        /// <summary>Killed while receiving: half the bytes in a .part temp file.</summary>
        WhileReceiving,
        /// <summary>Killed after encoding the variants: the original and three variants as .part files.</summary>
        AfterVariantsEncoded,
        /// <summary>Killed after placing the original: it is placed, the variants are still .part files.</summary>
        AfterOriginalPlaced,
        /// <summary>Killed after placing everything, before the commit: four placed files, no row.</summary>
        AfterAllPlaced,
        /// <summary>Killed with the rows inserted but the transaction not committed: it rolls back, the files stay.</summary>
        TransactionRolledBack,
        /// <summary>A committed upload nobody attached before the staging lifetime ran out.</summary>
        ExpiredStagedUpload,
    }

    // ---------------------------------------------------------------- injected failures

    [Theory]
    [InlineData(InjectAt.OriginalReceived, 1, 0)]
    [InlineData(InjectAt.VariantsEncoded, 4, 0)]
    [InlineData(InjectAt.OriginalPlaced, 3, 1)]
    [InlineData(InjectAt.TwoVariantsPlaced, 1, 3)]
    [InlineData(InjectAt.BeforeCommit, 0, 4)]
    [InlineData(InjectAt.DuringCommit, 0, 4)]
    public async Task A_failure_at_each_stage_of_ingest_throws_and_leaves_no_file_and_no_row(InjectAt stage, int tempsAtFailure, int placedAtFailure)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var valid = await AddValidPhotoAsync(host, nurse, seed: 1);
        var filesBefore = host.StoredFiles();
        var bytes = TestImages.SmallJpeg(seed: 42);
        var fault = new Fault(stage, host.StoredFiles);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => IngestWithFaultsAsync(host, nurse.Id, bytes, fault));

        Assert.Contains(InjectedFailure.Text, thrown.ToString());
        // The failure struck where it should: the temp and placed files of that stage existed then.
        var atFailure = Assert.IsAssignableFrom<IReadOnlyList<string>>(fault.FilesAtFailure);
        Assert.Equal(tempsAtFailure, atFailure.Count(IsTemp));
        Assert.Equal(placedAtFailure, atFailure.Except(filesBefore).Count(f => !IsTemp(f)));

        Assert.Empty(host.TempFiles());
        Assert.Equal(filesBefore, host.StoredFiles());
        Assert.Equal(1, await host.DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.Equal(0, await host.DbAsync(db => db.StagedUploads.CountAsync()));
        Assert.False(await host.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Sha256 == Sha256(bytes))));
        await AssertCleanAsync(host, [valid]);

        // Nothing half-made is taken for a duplicate: the same bytes go in again as a new blob.
        var retry = await host.IngestAsync(bytes, "retry.jpg", "image/jpeg", nurse.Id);
        Assert.Equal(IngestOutcome.Saved, retry.Outcome);
        Assert.Equal(4, host.StoredFiles().Except(filesBefore).Count());
        Assert.Equal(1, (await host.DbAsync(db => db.MediaFiles.SingleAsync(m => m.Id == retry.MediaFileId))).ReferenceCount);
        var report = await ScanAsync(host);
        Assert.True(report.IsClean, Describe(report));
        Assert.Equal(2, report.Checked);
    }

    [Fact]
    public async Task When_the_clean_up_after_a_failed_commit_fails_too_the_start_up_sweep_removes_what_it_left()
    {
        await using var host = await CoreTestHost.CreateAsync();
        AlignClockWithRealTime(host);
        var nurse = await host.UserAsync("nurse");
        var valid = await AddValidPhotoAsync(host, nurse, seed: 2);
        var filesBefore = host.StoredFiles();
        var fault = new Fault(InjectAt.BeforeCommit, host.StoredFiles) { DeletesFail = true };

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => IngestWithFaultsAsync(host, nurse.Id, TestImages.SmallJpeg(seed: 43), fault));

        Assert.Contains(InjectedFailure.Text, thrown.ToString());
        Assert.True(fault.DeletesRefused >= 4, $"the pipeline tried to remove its 4 placed files ({fault.DeletesRefused} refused)");
        var leftBehind = host.StoredFiles().Except(filesBefore).ToList();
        Assert.Equal(4, leftBehind.Count);
        Assert.Empty(host.TempFiles());
        var before = await ScanAsync(host);
        Assert.Equal(leftBehind, before.Orphans.Order(StringComparer.Ordinal));
        Assert.Empty(before.MissingFiles);
        Assert.Empty(before.HashMismatches);

        await RestartAsync(host, TimeSpan.FromMinutes(1));

        Assert.Equal(filesBefore, host.StoredFiles());
        await AssertCleanAsync(host, [valid]);
    }

    // ---------------------------------------------------------------- hard crashes

    [Theory]
    [InlineData(CrashState.WhileReceiving)]
    [InlineData(CrashState.AfterVariantsEncoded)]
    [InlineData(CrashState.AfterOriginalPlaced)]
    [InlineData(CrashState.AfterAllPlaced)]
    [InlineData(CrashState.TransactionRolledBack)]
    [InlineData(CrashState.ExpiredStagedUpload)]
    public async Task After_a_crash_the_start_up_sweep_leaves_only_committed_media_and_a_clean_scan(CrashState state)
    {
        await using var host = await CoreTestHost.CreateAsync();
        AlignClockWithRealTime(host);
        var nurse = await host.UserAsync("nurse");
        var valid = await AddValidPhotoAsync(host, nurse, seed: 3);
        var validFiles = host.StoredFiles();

        var leftover = await LeaveCrashStateAsync(host, nurse, state, seed: 30);

        // Before the sweep the leftovers are there, and a scan sees the placed ones as orphans.
        Assert.Equal(leftover.Temps, host.TempFiles().Count);
        var before = await ScanAsync(host);
        Assert.Equal(leftover.Orphans.Order(StringComparer.Ordinal), before.Orphans.Order(StringComparer.Ordinal));
        Assert.Empty(before.MissingFiles);
        Assert.Empty(before.HashMismatches);
        Assert.Equal(validFiles.Count + leftover.Temps + leftover.Orphans.Count + leftover.Committed.Count, host.StoredFiles().Count);

        // Restarted seven hours later: past the six-hour staging lifetime.
        await RestartAsync(host, TimeSpan.FromHours(7));

        Assert.Equal(validFiles, host.StoredFiles());
        Assert.Empty(host.TempFiles());
        Assert.Equal(1, await host.DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.Equal(0, await host.DbAsync(db => db.StagedUploads.CountAsync()));
        await AssertCleanAsync(host, [valid]);

        // A second start-up finds nothing more to do.
        Assert.Equal(0, await host.WithAsync<StagedUploadSweeper, int>(s => s.SweepAsync(CancellationToken.None, atStartup: true)));
        Assert.Equal(validFiles, host.StoredFiles());
    }

    [Fact]
    public async Task Everything_a_crash_can_leave_at_once_is_swept_at_start_up_and_committed_media_survive()
    {
        await using var host = await CoreTestHost.CreateAsync();
        AlignClockWithRealTime(host);
        var nurse = await host.UserAsync("nurse");
        var photos = new[] { await AddValidPhotoAsync(host, nurse, seed: 4), await AddValidPhotoAsync(host, nurse, seed: 5) };
        var validFiles = host.StoredFiles();
        Assert.Equal(8, validFiles.Count);

        var seed = 50;
        foreach (var state in Enum.GetValues<CrashState>())
            await LeaveCrashStateAsync(host, nurse, state, seed++);
        Assert.NotEmpty(host.TempFiles());
        Assert.False((await ScanAsync(host)).IsClean);

        await RestartAsync(host, TimeSpan.FromHours(7));

        Assert.Equal(validFiles, host.StoredFiles());
        Assert.Equal(2, await host.DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.Equal(0, await host.DbAsync(db => db.StagedUploads.CountAsync()));
        await AssertCleanAsync(host, photos);
    }

    // ---------------------------------------------------------------- integrity scan

    [Fact]
    public async Task Integrity_scan_names_a_tampered_original_a_missing_file_and_orphans_and_the_sweep_removes_only_the_orphans()
    {
        await using var host = await CoreTestHost.CreateAsync();
        AlignClockWithRealTime(host);
        var nurse = await host.UserAsync("nurse");
        var tampered = await AddValidPhotoAsync(host, nurse, seed: 6);
        var noThumbnail = await AddValidPhotoAsync(host, nurse, seed: 7);
        var noOriginal = await AddValidPhotoAsync(host, nurse, seed: 8);
        var intact = await AddValidPhotoAsync(host, nurse, seed: 9);
        Assert.True((await ScanAsync(host)).IsClean);

        // One byte of the original changed in place (same length, same name).
        var tamperedPath = host.FullPath(tampered.FilePath);
        var original = await File.ReadAllBytesAsync(tamperedPath);
        original[original.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(tamperedPath, original);
        File.Delete(host.FullPath(StoragePaths.Variant(noThumbnail.FilePath, MediaVariant.Thumbnail)));
        File.Delete(host.FullPath(noOriginal.FilePath));
        var month = tampered.FilePath[..tampered.FilePath.IndexOf("/originals/", StringComparison.Ordinal)];
        string[] extra =
        [
            $"{month}/originals/{Guid.NewGuid():D}.jpg",
            $"{month}/large/{Guid.NewGuid():D}.jpg",
            "photos/notes.txt",
        ];
        foreach (var path in extra)
            TestImages.Save(TestImages.SmallJpeg(seed: 10), Path.GetDirectoryName(host.FullPath(path))!, Path.GetFileName(path));

        var report = await ScanAsync(host);

        Assert.False(report.IsClean);
        Assert.Equal(4, report.Checked);
        Assert.Equal(new[] { tampered.Id }, report.HashMismatches);
        Assert.Equal(new[] { noThumbnail.Id, noOriginal.Id }.Order(), report.MissingFiles.Order());
        Assert.Equal(extra.Order(StringComparer.Ordinal), report.Orphans.Order(StringComparer.Ordinal));

        await RestartAsync(host, TimeSpan.FromMinutes(1));

        // The sweep removes files without a row; a row's files — even damaged — are for a person to look at.
        var after = await ScanAsync(host);
        Assert.Empty(after.Orphans);
        Assert.Equal(new[] { tampered.Id }, after.HashMismatches);
        Assert.Equal(new[] { noThumbnail.Id, noOriginal.Id }.Order(), after.MissingFiles.Order());
        Assert.Equal(original, await File.ReadAllBytesAsync(tamperedPath));
        Assert.All(extra, path => Assert.False(File.Exists(host.FullPath(path)), path));
        await AssertIntactAsync(host, intact);
    }

    // ---------------------------------------------------------------- the faults

    private sealed class InjectedFailure(string stage) : Exception($"{Text}: {stage}")
    {
        public const string Text = "Injected failure";
    }

    /// <summary>Where to strike, and what the store held when it struck.</summary>
    private sealed class Fault(InjectAt stage, Func<IReadOnlyList<string>> files)
    {
        public InjectAt Stage { get; } = stage;
        public bool DeletesFail { get; init; }
        public int DeletesRefused { get; set; }
        public IReadOnlyList<string>? FilesAtFailure { get; private set; }

        public InjectedFailure Strike()
        {
            if (FilesAtFailure is not null) throw new InvalidOperationException("The fault struck twice.");
            FilesAtFailure = files();
            return new InjectedFailure(Stage.ToString());
        }
    }

    /// <summary>The real store, failing on the Nth temp file or the Nth place, and refusing deletes if asked.</summary>
    private sealed class FaultyStore(IMediaStore inner, Fault fault) : IMediaStore
    {
        private int _temps;
        private int _places;

        public TempFile CreateTempFile(string extension = "")
        {
            if (++_temps == 2 && fault.Stage == InjectAt.OriginalReceived) throw fault.Strike();
            return inner.CreateTempFile(extension);
        }

        public void Place(TempFile temp, string relativePath)
        {
            _places++;
            if ((fault.Stage, _places) is (InjectAt.VariantsEncoded, 1) or (InjectAt.OriginalPlaced, 2) or (InjectAt.TwoVariantsPlaced, 4))
                throw fault.Strike();
            inner.Place(temp, relativePath);
        }

        public void Delete(string relativePath)
        {
            if (fault.DeletesFail)
            {
                fault.DeletesRefused++;
                throw new IOException("Injected: the disk refused the delete.");
            }
            inner.Delete(relativePath);
        }

        public void Replace(TempFile temp, string relativePath) => inner.Replace(temp, relativePath);
        public bool Exists(string relativePath) => inner.Exists(relativePath);
        public Stream OpenRead(string relativePath) => inner.OpenRead(relativePath);
        public string FullPath(string relativePath) => inner.FullPath(relativePath);
        public long Length(string relativePath) => inner.Length(relativePath);
        public IEnumerable<StoredFile> EnumerateFiles() => inner.EnumerateFiles();
        public IEnumerable<StoredFile> EnumerateTempFiles() => inner.EnumerateTempFiles();
    }

    /// <summary>SaveChanges of a new blob fails before any SQL runs.</summary>
    private sealed class FailingSaveChanges(Fault fault) : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (eventData.Context!.ChangeTracker.Entries<MediaFile>().Any(e => e.State == EntityState.Added)) throw fault.Strike();
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }

    /// <summary>The INSERTs have run inside SaveChanges' transaction; its COMMIT fails.</summary>
    private sealed class FailingCommit(Fault fault, Func<DbContext?, bool> isNewBlob) : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (isNewBlob(eventData.Context)) throw fault.Strike();
            return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
        }
    }

    /// <summary>
    /// The real pipeline over the real store and database, with the store wrapped and the DbContext
    /// given an interceptor for the fault.
    /// </summary>
    private static async Task<IngestResult> IngestWithFaultsAsync(CoreTestHost host, Guid userId, byte[] bytes, Fault fault)
    {
        await using var scope = host.CreateScope();
        var services = scope.ServiceProvider;
        var store = new FaultyStore(services.GetRequiredService<IMediaStore>(), fault);
        IInterceptor[] interceptors = fault.Stage switch
        {
            InjectAt.BeforeCommit => [new FailingSaveChanges(fault)],
            InjectAt.DuringCommit => [new FailingCommit(fault, context => context is not null
                && context.ChangeTracker.Entries<MediaFile>().Any(e => e.State == EntityState.Added))],
            _ => [],
        };
        var connectionString = services.GetRequiredService<MediaFilesDbContext>().Database.GetConnectionString()!;
        await using var db = MediaFilesDatabase.CreateContext(connectionString, interceptors);
        var blobs = new BlobRegistry(db, store, host.Clock, NullLogger<BlobRegistry>.Instance);
        var options = services.GetRequiredService<IOptions<MediaFilesOptions>>();
        var ffmpeg = services.GetRequiredService<MediaFiles.Core.Video.Ffmpeg>();
        var derived = new DerivedFiles(store, ffmpeg, options);
        var pipeline = new MediaIngest(
            new ImageIngestPipeline(blobs, store, services.GetRequiredService<WardClock>(), derived, options, host.Clock),
            new VideoIngestPipeline(blobs, store, derived, ffmpeg, services.GetRequiredService<MediaFiles.Core.Background.WorkSignal<MediaFiles.Core.Video.TranscodeQueue>>(), options, host.Clock),
            store, ffmpeg, options);
        await using var body = new MemoryStream(bytes);
        return await pipeline.IngestAsync(body, new IngestRequest(userId, "wound.jpg", "image/jpeg", MediaCategory.Photos), null, CancellationToken.None);
    }

    // ---------------------------------------------------------------- crash states

    /// <summary>What a crash left: temp files, placed files without a row, and files of rows that are committed.</summary>
    private sealed record Leftover(int Temps, IReadOnlyList<string> Orphans, IReadOnlyList<string> Committed);

    /// <summary>
    /// Builds the files and rows a process killed at <paramref name="state"/> leaves, with the store's
    /// own calls and the real variant encoder, and no clean-up (temp files are never disposed).
    /// </summary>
    private static async Task<Leftover> LeaveCrashStateAsync(CoreTestHost host, CurrentUser user, CrashState state, int seed)
    {
        var bytes = TestImages.SmallJpeg(seed: seed);
        if (state == CrashState.ExpiredStagedUpload)
        {
            var before = host.StoredFiles();
            await host.IngestAsync(bytes, "never attached.jpg", "image/jpeg", user.Id);
            return new Leftover(0, [], host.StoredFiles().Except(before).ToList());
        }

        var store = host.Services.GetRequiredService<IMediaStore>();
        var original = store.CreateTempFile();
        if (state == CrashState.WhileReceiving)
        {
            await File.WriteAllBytesAsync(original.Path, bytes[..(bytes.Length / 2)]);
            return new Leftover(1, [], []);
        }
        await File.WriteAllBytesAsync(original.Path, bytes);

        var images = host.Options.Images;
        var variants = new[] { (MediaVariant.Large, images.Large), (MediaVariant.Medium, images.Medium), (MediaVariant.Thumbnail, images.Thumbnail) }
            .Select(v => (Variant: v.Item1, Spec: v.Item2, Temp: store.CreateTempFile()))
            .ToList();
        var facts = ImageInspector.Inspect(original.Path, FileTypeSniffer.Jpeg, images);
        await ImageVariantWriter.WriteAsync(original.Path, FileTypeSniffer.Jpeg, facts,
            variants.Select(v => new VariantTarget(v.Spec, v.Temp.Path)).ToList(), CancellationToken.None);
        if (state == CrashState.AfterVariantsEncoded)
            return new Leftover(4, [], []);

        var id = Guid.NewGuid();
        var originalPath = StoragePaths.Original(MediaCategory.Photos, host.Clock.UtcNow, id, "jpg");
        store.Place(original, originalPath);
        if (state == CrashState.AfterOriginalPlaced)
            return new Leftover(3, [originalPath], []);

        var placed = new List<string> { originalPath };
        foreach (var (variant, _, temp) in variants)
        {
            var path = StoragePaths.Variant(originalPath, variant);
            store.Place(temp, path);
            placed.Add(path);
        }
        if (state == CrashState.AfterAllPlaced)
            return new Leftover(0, placed, []);

        // TransactionRolledBack: the rows were written inside the transaction, which never committed.
        await using (var scope = host.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var now = host.Clock.UtcNow;
            db.MediaFiles.Add(new MediaFile
            {
                Id = id,
                FilePath = originalPath,
                OriginalFilename = "wound.jpg",
                Sha256 = Sha256(bytes),
                Size = bytes.Length,
                MimeType = "image/jpeg",
                Width = facts.UprightWidth,
                Height = facts.UprightHeight,
                ReferenceCount = 1,
                StagedById = user.Id,
                StagedAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            });
            db.StagedUploads.Add(new StagedUpload { MediaFileId = id, UploadedById = user.Id, UploadedAt = now });
            await db.SaveChangesAsync();
            Assert.True(await db.MediaFiles.AnyAsync(m => m.Id == id)); // there inside the transaction
            // The process dies here: the transaction is never committed.
        }
        Assert.False(await host.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == id)));
        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.MediaFileId == id)));
        return new Leftover(0, placed, []);
    }

    // ---------------------------------------------------------------- helpers

    private sealed record ValidPhoto(Guid Id, string FilePath, string Sha256, IReadOnlyDictionary<string, byte[]> Files);

    /// <summary>A photo on a patient's timeline (its upload attached, so no staged upload expires), with its files' bytes.</summary>
    private static async Task<ValidPhoto> AddValidPhotoAsync(CoreTestHost host, CurrentUser user, int seed)
    {
        var bytes = TestImages.SmallJpeg(seed: seed);
        var upload = await host.IngestAsync(bytes, $"valid {seed}.jpg", "image/jpeg", user.Id);
        var patient = await host.PatientIdAsync(Patient);
        await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(user, patient, upload.UploadId, "committed", null));
        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == upload.MediaFileId));
        Assert.Equal(Sha256(bytes), media.Sha256);
        var files = new BlobFiles(media.FilePath, media.MimeType).Owned
            .ToDictionary(p => p, p => File.ReadAllBytes(host.FullPath(p)));
        return new ValidPhoto(media.Id, media.FilePath, media.Sha256, files);
    }

    /// <summary>The scan is clean, checked exactly these photos, and each is byte-identical to when it was committed.</summary>
    private static async Task AssertCleanAsync(CoreTestHost host, IReadOnlyList<ValidPhoto> photos)
    {
        var report = await ScanAsync(host);
        Assert.True(report.IsClean, Describe(report));
        Assert.Equal(photos.Count, report.Checked);
        foreach (var photo in photos) await AssertIntactAsync(host, photo);
    }

    private static async Task AssertIntactAsync(CoreTestHost host, ValidPhoto photo)
    {
        var row = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == photo.Id));
        Assert.Equal(photo.Sha256, row.Sha256);
        Assert.Equal(1, row.ReferenceCount);
        Assert.True(await host.DbAsync(db => db.Photos.AnyAsync(p => p.MediaFileId == photo.Id)));
        foreach (var (path, bytes) in photo.Files)
            Assert.Equal(bytes, await File.ReadAllBytesAsync(host.FullPath(path)));
        Assert.Equal(photo.Sha256, Sha256(await File.ReadAllBytesAsync(host.FullPath(photo.FilePath))));
    }

    private static Task<IntegrityReport> ScanAsync(CoreTestHost host) =>
        host.WithAsync<IntegrityScanner, IntegrityReport>(s => s.ScanAsync(null, CancellationToken.None));

    /// <summary>
    /// The host's clock starts in March 2026 while the files get the machine's write times: bring the
    /// clock to now so a later "restart" is after every file was written, as a real restart is.
    /// </summary>
    private static void AlignClockWithRealTime(CoreTestHost host)
    {
        var behind = DateTimeOffset.UtcNow - host.Clock.GetUtcNow();
        if (behind > TimeSpan.Zero) host.Clock.Advance(behind);
    }

    /// <summary>The process starts again <paramref name="later"/> after the crash: the start-up sweep runs.</summary>
    private static async Task RestartAsync(CoreTestHost host, TimeSpan later)
    {
        AlignClockWithRealTime(host);
        host.Clock.Advance(later);
        await host.WithAsync<StagedUploadSweeper, int>(s => s.SweepAsync(CancellationToken.None, atStartup: true));
    }

    private static bool IsTemp(string relativePath) => relativePath.StartsWith(LocalMediaStore.TempFolder + "/", StringComparison.Ordinal);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Describe(IntegrityReport report) =>
        $"missing: [{string.Join(", ", report.MissingFiles)}], mismatched: [{string.Join(", ", report.HashMismatches)}], orphans: [{string.Join(", ", report.Orphans)}]";
}
