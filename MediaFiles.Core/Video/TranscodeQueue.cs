using MediaFiles.Core.Background;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaFiles.Core.Video;

/// <summary>
/// The browser-playable copies, as a queue kept in the database (MediaFile.PlayableState), so it
/// survives a restart: a job left Running by a stopped process is queued again at start. Run by the
/// queue-worker host (<see cref="IWorkQueue"/>), <c>Videos:TranscodeConcurrency</c> at a time, woken
/// by <see cref="WorkSignal{TQueue}"/> when a clip is queued and looking every minute otherwise.
/// </summary>
public sealed class TranscodeQueue(
    MediaFilesDbContext db,
    IMediaStore store,
    Ffmpeg ffmpeg,
    ProgressWriter progressWriter,
    IMediaEventBus bus,
    IOptions<MediaFilesOptions> options,
    ILogger<TranscodeQueue> logger) : IWorkQueue
{
    public const string FailedMessage = "The clip could not be converted for browsers. The original is kept and can be downloaded.";
    public const string TimedOutMessage = "Converting the clip for browsers took too long and was stopped. The original is kept and can be downloaded.";

    /// <summary>The card reads the percent from the bus; the row is updated now and then, for pages opened later.</summary>
    private static readonly ProgressThrottle SaveProgress = new(1, TimeSpan.FromSeconds(2));

    string IWorkQueue.JobsName => "transcodes";

    int IWorkQueue.Concurrency => Math.Max(1, options.Value.Videos.TranscodeConcurrency);

    TimeSpan IWorkQueue.PollInterval => TimeSpan.FromMinutes(1);

    /// <summary>Without ffmpeg nothing can be converted: the clips stay queued (and play as downloads).</summary>
    public async Task<bool> CanRunAsync()
    {
        if (await ffmpeg.IsAvailableAsync()) return true;
        logger.LogWarning("ffmpeg is not installed: video clips cannot be converted (apt-get install ffmpeg)");
        return false;
    }

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
            .Select(m => new { m.Id, m.FilePath, m.MimeType, m.DurationSeconds })
            .FirstOrDefaultAsync(ct);
        if (next is null) return false;
        // Claim it: only one worker wins a queued job.
        var claimed = await db.MediaFiles.Where(m => m.Id == next.Id && m.PlayableState == PlayableState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayableState, PlayableState.Running).SetProperty(m => m.PlayableProgress, 0), ct);
        if (claimed == 0) return true;
        var id = next.Id;
        Publish(id, PlayableState.Running, 0);

        var progress = progressWriter.Start(id,
            (progressDb, percent) => progressDb.MediaFiles.Where(m => m.Id == id && m.PlayableState == PlayableState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayableProgress, percent)),
            percent => Publish(id, PlayableState.Running, percent),
            SaveProgress);
        string? failure = null;
        // ffmpeg writes to a temp file in the store; only a finished copy takes the playable path.
        using (var temp = store.CreateTempFile(".mp4"))
        {
            try
            {
                await ffmpeg.TranscodeAsync(store.FullPath(next.FilePath), temp.Path, TimeSpan.FromSeconds(next.DurationSeconds ?? 1),
                    percent => progress.Report(double.IsFinite(percent) ? (int)percent : 0), ct);
                store.Replace(temp, new BlobFiles(next.FilePath, next.MimeType).PlayablePath);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopping: the row stays Running, to be queued again at the next start.
                await progress.FlushAsync();
                throw;
            }
            catch (FfmpegFailedException ex)
            {
                // Ffmpeg has logged what ffmpeg said; the card gets a sentence, never ffmpeg's words.
                logger.LogWarning("Transcode of media {MediaFileId} failed: {Reason}", id, ex.Message);
                failure = ex.TimedOut ? TimedOutMessage : FailedMessage;
            }
            catch (Exception ex)
            {
                // Whatever else it was (a missing original, a full disk), the card must say so rather than spin.
                logger.LogError(ex, "Transcode of media {MediaFileId} failed", id);
                failure = FailedMessage;
            }
        }

        // The final state is written once, after the last progress save, and even while the app stops.
        await progress.FlushAsync();
        if (failure is null)
        {
            await SetStateAsync(id, PlayableState.Ready, 100, null);
            logger.LogInformation("Made the playable copy of media {MediaFileId}", id);
        }
        else
        {
            await SetStateAsync(id, PlayableState.Failed, 0, failure);
        }
        return true;
    }

    private async Task SetStateAsync(Guid id, PlayableState state, int progress, string? error)
    {
        await db.MediaFiles.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.PlayableState, state).SetProperty(m => m.PlayableProgress, progress).SetProperty(m => m.PlayableError, error),
            CancellationToken.None);
        Publish(id, state, progress, error);
    }

    private void Publish(Guid id, PlayableState state, int progress, string? error = null) =>
        bus.Publish(new MediaProcessingChanged(id, state, progress, error));
}
