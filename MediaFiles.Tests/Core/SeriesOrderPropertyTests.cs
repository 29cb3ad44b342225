using MediaFiles.Core.Access;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Series;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Core;

/// <summary>
/// The order of a series under random moves, adds and removes, through the real service over a real
/// SQLite file, checked after every operation against a plain List&lt;Guid&gt; model; and the pure
/// SeriesOrder arithmetic against the same model, exhaustively for small series.
/// </summary>
public sealed class SeriesOrderPropertyTests
{
    private const int Seeds = 40;
    private const int OperationsPerSeed = 25;

    public static TheoryData<int> SeedData()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= Seeds; seed++) data.Add(seed);
        return data;
    }

    // ---------------------------------------------------------------- SeriesOrder, exhaustively

    [Fact]
    public void AfterMove_agrees_with_the_list_model_for_every_move_in_series_up_to_8()
    {
        var checkedMoves = 0;
        for (var n = 1; n <= 8; n++)
        for (var from = 1; from <= n; from++)
        for (var to = 1; to <= n; to++)
        {
            var model = Enumerable.Range(1, n).ToList(); // item k starts at position k
            var item = model[from - 1];
            model.RemoveAt(from - 1);
            model.Insert(to - 1, item);

            var positions = new List<int>();
            for (var index = 1; index <= n; index++)
            {
                var after = SeriesOrder.AfterMove(index, from, to);
                Assert.True(after == model.IndexOf(index) + 1,
                    $"n={n}, move {from}->{to}: the item at {index} should end at {model.IndexOf(index) + 1}, AfterMove says {after}");
                positions.Add(after);
            }
            Assert.Equal(Enumerable.Range(1, n), positions.Order());
            checkedMoves++;
        }
        Assert.Equal(Enumerable.Range(1, 8).Sum(n => n * n), checkedMoves);
    }

    [Fact]
    public void AfterRemove_agrees_with_the_list_model_for_every_removal_in_series_up_to_8()
    {
        for (var n = 1; n <= 8; n++)
        for (var removed = 1; removed <= n; removed++)
        {
            var model = Enumerable.Range(1, n).ToList();
            model.RemoveAt(removed - 1);

            var positions = new List<int>();
            for (var index = 1; index <= n; index++)
            {
                if (index == removed) continue;
                var after = SeriesOrder.AfterRemove(index, removed);
                Assert.True(after == model.IndexOf(index) + 1,
                    $"n={n}, remove {removed}: the item at {index} should end at {model.IndexOf(index) + 1}, AfterRemove says {after}");
                positions.Add(after);
            }
            Assert.Equal(Enumerable.Range(1, n - 1), positions.Order());
        }
    }

    [Fact]
    public void A_move_onto_its_own_place_changes_no_position()
    {
        for (var n = 1; n <= 8; n++)
        for (var at = 1; at <= n; at++)
        for (var index = 1; index <= n; index++)
            Assert.Equal(index, SeriesOrder.AfterMove(index, at, at));
    }

    // ---------------------------------------------------------------- the real service against the model

    [Theory]
    [MemberData(nameof(SeedData))]
    public async Task Random_moves_adds_and_removes_keep_the_order_a_permutation_equal_to_the_list_model(int seed)
    {
        await using var host = await CoreTestHost.CreateAsync();
        // As the app runs its database (Extensions.PrepareDatabaseAsync); also makes each commit cheaper.
        await host.DbAsync(db => db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;"));
        var run = await ModelRun.StartAsync(host, seed);
        await run.RunAsync(OperationsPerSeed);
        Assert.Equal(OperationsPerSeed, run.Operations);
    }

    /// <summary>One seed: the series, its model and the random source.</summary>
    private sealed class ModelRun
    {
        private readonly CoreTestHost _host;
        private readonly int _seed;
        private readonly Random _random;
        private readonly CurrentUser _nurse;
        private readonly Guid _patient;
        private readonly List<string> _log = [];

        /// <summary>The expected media file ids, in series order.</summary>
        private readonly List<Guid> _model = [];
        /// <summary>Holders of a blob outside the series (a Photo made from the same bytes).</summary>
        private readonly Dictionary<Guid, int> _external = [];
        /// <summary>The bytes of every blob made, to upload the same photo again.</summary>
        private readonly Dictionary<Guid, byte[]> _bytes = [];
        private Guid _seriesId;
        private int _version;
        private List<PhotoSeriesFile> _rows = [];

        private ModelRun(CoreTestHost host, int seed, CurrentUser nurse, Guid patient)
        {
            _host = host;
            _seed = seed;
            _random = new Random(seed);
            _nurse = nurse;
            _patient = patient;
        }

        public int Operations { get; private set; }

        public static async Task<ModelRun> StartAsync(CoreTestHost host, int seed)
        {
            var run = new ModelRun(host, seed, await host.UserAsync("nurse"), await host.PatientIdAsync("Helena Marsh"));
            await run.Guard("create", async () =>
            {
                var size = run._random.Next(1, 21);
                var uploads = await run.StageBatchAsync(size);
                run._seriesId = await host.WithAsync<PhotoSeriesService, Guid>(s =>
                    s.CreateAsync(run._nurse, run._patient, uploads.Select(u => u.UploadId).ToList(), $"seed {seed}", null));
                run.Append(uploads);
                run._version = 0;
                run._log.Add($"create {size} -> {run._model.Count}");
                await run.CheckAsync();
            });
            return run;
        }

        public async Task RunAsync(int operations)
        {
            for (var i = 0; i < operations; i++)
            {
                var n = _model.Count;
                var roll = _random.NextDouble();
                if (roll < 0.45) await Guard($"op {i}", () => MoveAsync(_random.Next(1, n + 1), _random.Next(1, n + 1)));
                else if (roll < 0.65 && n < _host.Options.MaxSeriesPhotos) await Guard($"op {i}", () => AddAsync(_random.Next(1, Math.Min(4, _host.Options.MaxSeriesPhotos - n) + 1)));
                else if (roll < 0.85 && n > 1) await Guard($"op {i}", () => RemoveAsync(_random.Next(1, n + 1)));
                else if (roll < 0.93) await Guard($"op {i}", StaleAsync);
                else await Guard($"op {i}", ReadAsync);
                Operations++;
            }
        }

        private async Task MoveAsync(int from, int to)
        {
            _log.Add($"move {from}->{to} (n={_model.Count})");
            var before = _rows.ToDictionary(r => r.Id, r => r.OrderIndex);
            var version = await _host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(_nurse, _seriesId, from, to, _version));
            Assert.Equal(_version + 1, version);
            _version = version;
            PhotoSeriesServiceTests.Move(_model, from, to);
            await CheckAsync();
            // Each row went where the pure arithmetic says.
            foreach (var row in _rows)
                Assert.True(row.OrderIndex == SeriesOrder.AfterMove(before[row.Id], from, to),
                    $"item {row.Id} was at {before[row.Id]}, is at {row.OrderIndex}, AfterMove says {SeriesOrder.AfterMove(before[row.Id], from, to)}");
        }

        private async Task AddAsync(int count)
        {
            var uploads = await StageBatchAsync(count);
            _log.Add($"add {count} (n={_model.Count})");
            var version = await _host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(_nurse, _seriesId, uploads.Select(u => u.UploadId).ToList(), _version));
            Assert.Equal(_version + 1, version);
            _version = version;
            Append(uploads);
            await CheckAsync();
        }

        private async Task RemoveAsync(int position)
        {
            _log.Add($"remove {position} (n={_model.Count})");
            var row = _rows[position - 1];
            var before = _rows.ToDictionary(r => r.Id, r => r.OrderIndex);
            var version = await _host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(_nurse, _seriesId, row.Id, _version));
            Assert.Equal(_version + 1, version);
            _version = version;
            Assert.Equal(row.MediaFileId, _model[position - 1]);
            _model.RemoveAt(position - 1);
            await CheckAsync();
            Assert.DoesNotContain(_rows, r => r.Id == row.Id);
            foreach (var r in _rows)
                Assert.Equal(SeriesOrder.AfterRemove(before[r.Id], position), r.OrderIndex);
        }

        /// <summary>A change made with an old (or not yet existing) version: refused, nothing changes.</summary>
        private async Task StaleAsync()
        {
            var stale = _version > 0 && _random.Next(2) == 0 ? _version - 1 : _version + 1;
            var kind = _random.Next(3);
            _log.Add($"stale {(kind == 0 ? "move" : kind == 1 ? "add" : "remove")} with version {stale} (current {_version})");
            StaleSeriesException refused;
            switch (kind)
            {
                case 0:
                    refused = await Assert.ThrowsAsync<StaleSeriesException>(() =>
                        _host.WithAsync<PhotoSeriesService, int>(s => s.MoveAsync(_nurse, _seriesId, 1, _model.Count, stale)));
                    break;
                case 1:
                    var upload = await StageAsync(SeriesStaging.TinyJpeg());
                    refused = await Assert.ThrowsAsync<StaleSeriesException>(() =>
                        _host.WithAsync<PhotoSeriesService, int>(s => s.AddAsync(_nurse, _seriesId, [upload.UploadId], stale)));
                    // Still staged, with its one reference; discarding it removes it completely.
                    Assert.True(await _host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)), "the refused upload is no longer staged");
                    await _host.WithAsync<StagedUploadService>(s => s.DiscardAsync(_nurse, [upload.UploadId]));
                    _bytes.Remove(upload.MediaFileId);
                    break;
                default:
                    refused = await Assert.ThrowsAsync<StaleSeriesException>(() =>
                        _host.WithAsync<PhotoSeriesService, int>(s => s.RemoveAsync(_nurse, _seriesId, _rows[^1].Id, stale)));
                    break;
            }
            Assert.Equal(_version, refused.CurrentVersion);
            await CheckAsync();
        }

        /// <summary>What the page reads (SeriesQuery) is the model too.</summary>
        private async Task ReadAsync()
        {
            _log.Add("read");
            var detail = await _host.WithAsync<SeriesQuery, SeriesDetail>(q => q.GetAsync(_nurse, _seriesId));
            Assert.Equal(_model, detail.Items.Select(i => i.MediaFileId));
            Assert.Equal(Enumerable.Range(1, _model.Count), detail.Items.Select(i => i.OrderIndex));
            Assert.Equal(_version, detail.Version);
            var paths = await _host.WithAsync<SeriesQuery, IReadOnlyDictionary<Guid, string>>(q => q.OriginalPathsAsync(_seriesId));
            Assert.Equal(_model.Order(), paths.Keys.Order());
        }

        /// <summary>
        /// After every operation: order_index is exactly 1..n, the media ids in that order are the model,
        /// the version is the expected one, every blob has the references the model says (one for the
        /// series plus its Photos), a blob nobody holds any more has neither a row nor a file, and no
        /// upload is left staged.
        /// </summary>
        private async Task CheckAsync()
        {
            _rows = await SeriesStaging.RowsAsync(_host, _seriesId);
            Assert.Equal(Enumerable.Range(1, _model.Count), _rows.Select(r => r.OrderIndex).Order());
            Assert.Equal(_model, _rows.Select(r => r.MediaFileId));
            Assert.Equal(_version, await SeriesStaging.VersionAsync(_host, _seriesId));

            var media = await _host.DbAsync(db => db.MediaFiles.AsNoTracking()
                .Select(m => new { m.Id, m.ReferenceCount, m.FilePath, m.MimeType }).ToListAsync());
            var expected = _model.Concat(_external.Keys).Distinct()
                .ToDictionary(id => id, id => (_model.Contains(id) ? 1 : 0) + _external.GetValueOrDefault(id));
            Assert.Equal(expected.OrderBy(e => e.Key), media.Select(m => new KeyValuePair<Guid, int>(m.Id, m.ReferenceCount)).OrderBy(e => e.Key));
            Assert.Equal(media.SelectMany(m => new BlobFiles(m.FilePath, m.MimeType).Owned).Order(StringComparer.Ordinal), _host.StoredFiles());
            Assert.Equal(0, await _host.DbAsync(db => db.StagedUploads.CountAsync()));
        }

        /// <summary>
        /// Stages <paramref name="count"/> uploads for one create or add: mostly new photos, sometimes
        /// a photo that is also a single Photo of the patient (a shared blob), sometimes the same bytes
        /// as a photo already in the series or earlier in this batch (kept once).
        /// </summary>
        private async Task<List<IngestResult>> StageBatchAsync(int count)
        {
            var uploads = new List<IngestResult>(count);
            for (var i = 0; i < count; i++)
            {
                var roll = _random.NextDouble();
                var inPlay = _model.Concat(uploads.Select(u => u.MediaFileId)).Distinct().ToList();
                if (roll < 0.12 && inPlay.Count > 0)
                {
                    var again = await StageAsync(_bytes[inPlay[_random.Next(inPlay.Count)]]);
                    Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
                    uploads.Add(again);
                }
                else if (roll < 0.25)
                {
                    var bytes = SeriesStaging.TinyJpeg();
                    var forPhoto = await StageAsync(bytes);
                    await _host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(_nurse, _patient, forPhoto.UploadId, null, null));
                    _external[forPhoto.MediaFileId] = _external.GetValueOrDefault(forPhoto.MediaFileId) + 1;
                    uploads.Add(await StageAsync(bytes));
                }
                else
                {
                    uploads.Add(await StageAsync(SeriesStaging.TinyJpeg()));
                }
            }
            return uploads;
        }

        private async Task<IngestResult> StageAsync(byte[] bytes)
        {
            var upload = await SeriesStaging.StageAsync(_host, _nurse, bytes);
            _bytes[upload.MediaFileId] = bytes;
            return upload;
        }

        /// <summary>The model of create and add: in order, a blob already in the series is skipped.</summary>
        private void Append(IEnumerable<IngestResult> uploads)
        {
            foreach (var upload in uploads)
                if (!_model.Contains(upload.MediaFileId))
                    _model.Add(upload.MediaFileId);
        }

        /// <summary>Runs one step; a failure names the seed, the step and what came before it.</summary>
        private async Task Guard(string step, Func<Task> work)
        {
            try
            {
                await work();
            }
            catch (Exception ex)
            {
                Assert.Fail($"Seed {_seed} failed at {step}. Operations so far: {string.Join("; ", _log.TakeLast(30))}.{Environment.NewLine}{ex}");
            }
        }
    }
}
