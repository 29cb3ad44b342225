using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MediaFiles.Core.Video;

/// <summary>Wakes the transcode worker when a clip has been queued.</summary>
public sealed class TranscodeSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    public void Wake() => _signal.Release();
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// The browser-playable copies, as a queue kept in the database (MediaFile.PlayableState), so it
/// survives a restart: a job left Running by a stopped process is queued again at start.
/// </summary>
public sealed class TranscodeQueue(MediaFilesDbContext db, IMediaStore store, Ffmpeg ffmpeg, IMediaEventBus bus, TimeProvider clock, ILogger<TranscodeQueue> logger)
{
    /// <summary>Jobs a previous process left running are queued again.</summary>
    public Task<int> RequeueInterruptedAsync(CancellationToken ct) =>
        db.MediaFiles.Where(m => m.PlayableState == PlayableState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayableState, PlayableState.Queued).SetProperty(m => m.PlayableProgress, 0), ct);

    /// <summary>Claims the oldest queued clip and makes its playable copy. False when nothing was queued.</summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        var next = await db.MediaFiles.AsNoTracking()
            .Where(m => m.PlayableState == PlayableState.Queued)
            .OrderBy(m => m.CreatedAt)
            .Select(m => new { m.Id, m.FilePath, m.DurationSeconds })
            .FirstOrDefaultAsync(ct);
        if (next is null) return false;
        // Claim it: only one worker wins a queued job.
        var claimed = await db.MediaFiles.Where(m => m.Id == next.Id && m.PlayableState == PlayableState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayableState, PlayableState.Running).SetProperty(m => m.PlayableProgress, 0), ct);
        if (claimed == 0) return true;
        Publish(next.Id, PlayableState.Running, 0);

        var target = StoragePaths.Variant(next.FilePath, ImageVariant.Playable);
        using var temp = store.CreateTempFile();
        try
        {
            var lastReported = 0;
            var lastSaved = clock.GetUtcNow();
            await ffmpeg.TranscodeAsync(store.FullPath(next.FilePath), temp.Path + ".mp4", TimeSpan.FromSeconds(next.DurationSeconds ?? 1), percent =>
            {
                var p = (int)Math.Clamp(percent, 0, 99);
                if (p <= lastReported) return;
                lastReported = p;
                Publish(next.Id, PlayableState.Running, p);
                // The card reads the percent from the bus; the row is updated now and then for new pages.
                if (clock.GetUtcNow() - lastSaved > TimeSpan.FromSeconds(2))
                {
                    lastSaved = clock.GetUtcNow();
                    _ = SaveProgressAsync(next.Id, p);
                }
            }, ct);
            File.Move(temp.Path + ".mp4", temp.Path, overwrite: true);
            if (store.Exists(target)) store.Delete(target);
            store.Place(temp, target);
            await SetStateAsync(next.Id, PlayableState.Ready, 100, null, CancellationToken.None);
            logger.LogInformation("Made the playable copy of media {MediaFileId}", next.Id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: leave it to be queued again at the next start.
            throw;
        }
        catch (Exception ex) when (ex is not FfmpegFailedException and not OperationCanceledException)
        {
            // Whatever it was (a missing original, a full disk), the card must say so rather than spin.
            logger.LogError(ex, "Transcode of media {MediaFileId} failed", next.Id);
            await SetStateAsync(next.Id, PlayableState.Failed, 0,
                "The clip could not be converted for browsers. The original is kept and can be downloaded.", CancellationToken.None);
        }
        catch (FfmpegFailedException ex)
        {
            var reason = ex.TimedOut
                ? "Converting the clip for browsers took too long and was stopped. The original is kept and can be downloaded."
                : "The clip could not be converted for browsers. The original is kept and can be downloaded.";
            await SetStateAsync(next.Id, PlayableState.Failed, 0, reason, CancellationToken.None);
        }
        finally
        {
            File.Delete(temp.Path + ".mp4");
        }
        return true;
    }

    private async Task SaveProgressAsync(Guid id, int percent)
    {
        try
        {
            await using var scope = new MediaFilesDbContext(new DbContextOptionsBuilder<MediaFilesDbContext>().UseSqlite(db.Database.GetConnectionString()).Options);
            await scope.MediaFiles.Where(m => m.Id == id && m.PlayableState == PlayableState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayableProgress, percent));
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Progress of media {MediaFileId} not saved", id);
        }
    }

    private async Task SetStateAsync(Guid id, PlayableState state, int progress, string? error, CancellationToken ct)
    {
        await db.MediaFiles.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.PlayableState, state).SetProperty(m => m.PlayableProgress, progress).SetProperty(m => m.PlayableError, error), ct);
        Publish(id, state, progress, error);
    }

    private void Publish(Guid id, PlayableState state, int progress, string? error = null) =>
        bus.Publish(new MediaProcessingChanged(id, state, progress, error));
}
