#:project ../MediaFiles.Core/MediaFiles.Core.csproj
#:property PublishAot=false
// Ingest benchmark: runs the real image pipeline (stream + SHA-256, sniff, ping, variants, place,
// commit) over generated phone-sized JPEGs and prints its figures. Rerun with:
//   dotnet run scripts/bench-ingest.cs [count=12] [width=4032] [height=3024] [parallel=2]
using System.Diagnostics;
using ImageMagick;
using MediaFiles.Core;
using MediaFiles.Core.Data;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var count = args.Length > 0 ? int.Parse(args[0]) : 12;
var width = args.Length > 1 ? uint.Parse(args[1]) : 4032u;
var height = args.Length > 2 ? uint.Parse(args[2]) : 3024u;
var parallel = args.Length > 3 ? int.Parse(args[3]) : 2;

var dir = Path.Combine(Path.GetTempPath(), "mf-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
try
{
    Console.WriteLine($"Generating {count} JPEGs of {width}×{height} (EXIF orientation 6, q92)…");
    var files = new List<string>();
    using (var template = new MagickImage("plasma:teal-orange", width, height))
    {
        for (var i = 0; i < count; i++)
        {
            using var image = (MagickImage)template.Clone();
            image.Rotate(i % 2 == 0 ? 0 : 180);
            image.Draw(new ImageMagick.Drawing.Drawables().FillColor(MagickColors.White).Rectangle(i * 10, i * 10, i * 10 + 300, i * 10 + 300));
            var exif = new ExifProfile();
            exif.SetValue(ExifTag.Orientation, (ushort)6);
            image.SetProfile(exif);
            image.Quality = 92;
            var path = Path.Combine(dir, $"photo{i:00}.jpg");
            await image.WriteAsync(path, MagickFormat.Jpeg);
            files.Add(path);
        }
    }
    var totalBytes = files.Sum(f => new FileInfo(f).Length);

    var services = new ServiceCollection();
    services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["MediaFiles:StorageRoot"] = Path.Combine(dir, "media"),
    }).Build());
    services.AddLogging();
    services.AddMediaFilesCore($"Data Source={Path.Combine(dir, "bench.db")}");
    await using var provider = services.BuildServiceProvider();
    Guid userId;
    await using (var scope = provider.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<MediaFilesDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await DemoSeeder.SeedAsync(db);
        userId = (await db.Users.FirstAsync(u => u.Subject == "nurse")).Id;
    }

    async Task<double> IngestAsync(string path)
    {
        await using var scope = provider.CreateAsyncScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<MediaIngest>();
        await using var stream = File.OpenRead(path);
        var sw = Stopwatch.StartNew();
        await pipeline.IngestAsync(stream, new IngestRequest(userId, Path.GetFileName(path), "image/jpeg", MediaCategory.Photos), null, CancellationToken.None);
        return sw.Elapsed.TotalMilliseconds;
    }

    // Warm up Magick and EF once, outside the figures.
    await IngestAsync(files[0]);
    var measured = files.Skip(1).ToList();

    var one = new List<double>();
    var wall = Stopwatch.StartNew();
    var half = measured.Take(measured.Count / 2).ToList();
    foreach (var f in half) one.Add(await IngestAsync(f));
    var sequentialSeconds = wall.Elapsed.TotalSeconds;

    var rest = measured.Skip(half.Count).ToList();
    wall.Restart();
    await Parallel.ForEachAsync(rest, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (f, _) => await IngestAsync(f));
    var parallelSeconds = wall.Elapsed.TotalSeconds;

    var dedup = new List<double>();
    foreach (var f in half) dedup.Add(await IngestAsync(f));

    static string Stats(List<double> ms)
    {
        var s = ms.Order().ToList();
        return $"median {s[s.Count / 2]:0} ms, p95 {s[(int)Math.Min(s.Count - 1, Math.Ceiling(s.Count * 0.95) - 1)]:0} ms, mean {s.Average():0} ms";
    }

    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores; average input {totalBytes / count / 1024.0 / 1024:0.0} MB");
    Console.WriteLine($"New photo, one at a time ({half.Count}):   {Stats(one)}; {half.Count / sequentialSeconds:0.0} photos/s");
    Console.WriteLine($"New photo, {parallel} at a time ({rest.Count}):    {rest.Count / parallelSeconds:0.0} photos/s");
    Console.WriteLine($"Duplicate (hash known, no variants) ({dedup.Count}): {Stats(dedup)}");
}
finally
{
    try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
}
