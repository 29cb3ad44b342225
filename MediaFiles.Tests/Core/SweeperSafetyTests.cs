using MediaFiles.Core.Ingest;
using MediaFiles.Tests.Support;

namespace MediaFiles.Tests.Core;

/// <summary>The start-up sweep removes a crash's leftovers, but never empties a store it does not recognise.</summary>
public sealed class SweeperSafetyTests
{
    [Fact]
    public async Task A_store_full_of_files_beside_an_empty_database_is_left_alone()
    {
        await using var host = await CoreTestHost.CreateAsync();
        // As if the connection string pointed at a new, empty database: 50 stored files, no rows.
        for (var i = 0; i < 50; i++)
        {
            var path = host.FullPath($"photos/2026/03/originals/{Guid.NewGuid()}.jpg");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [0xFF, 0xD8, 0xFF, (byte)i]);
        }

        await host.WithAsync<StagedUploadSweeper>(s => s.SweepAsync(CancellationToken.None, atStartup: true));

        Assert.Equal(50, host.CountStoredFiles());
    }

    [Fact]
    public async Task A_few_leftovers_beside_an_empty_database_are_removed()
    {
        await using var host = await CoreTestHost.CreateAsync();
        for (var i = 0; i < 4; i++)
        {
            var path = host.FullPath($"photos/2026/03/{(i == 0 ? "originals" : "large")}/{Guid.NewGuid()}.jpg");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [0xFF, 0xD8, 0xFF, (byte)i]);
        }

        await host.WithAsync<StagedUploadSweeper>(s => s.SweepAsync(CancellationToken.None, atStartup: true));

        Assert.Equal(0, host.CountStoredFiles());
    }
}
