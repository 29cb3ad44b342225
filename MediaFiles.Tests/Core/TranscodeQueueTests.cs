using System.Collections.Concurrent;
using FFMpegCore;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Core;

/// <summary>The persistent transcode queue: the playable H.264/AAC MP4, its progress on the bus, restarts and failures.</summary>
public sealed class TranscodeQueueTests
{
    private static Task<bool> RunNextAsync(CoreTestHost host) =>
        host.WithAsync<TranscodeQueue, bool>(q => q.RunNextAsync(CancellationToken.None));

    private static Task<MediaFile> MediaAsync(CoreTestHost host, Guid id) =>
        host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>Every MediaProcessingChanged published on the host's bus, in order, while subscribed.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ConcurrentQueue<MediaProcessingChanged> _seen = new();
        private readonly IDisposable _subscription;

        public Recorder(CoreTestHost host) =>
            _subscription = host.Services.GetRequiredService<IMediaEventBus>().Subscribe<MediaProcessingChanged>(c =>
            {
                _seen.Enqueue(c);
                return Task.CompletedTask;
            });

        public IReadOnlyList<MediaProcessingChanged> Seen => _seen.ToList();
        public void Dispose() => _subscription.Dispose();
    }

    [Theory]
    [InlineData("hevc", "aac")]
    [InlineData("vp9", "opus")]
    public async Task Queued_clip_gets_a_faststart_h264_aac_mp4_and_is_ready(string which, string sourceAudio)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var clip = which == "hevc" ? await TestClips.HevcMp4Async() : await TestClips.Vp9WebMAsync();
        var upload = await host.IngestVideoAsync(clip, nurse.Id);
        var before = await MediaAsync(host, upload.MediaFileId);
        Assert.Equal(PlayableState.Queued, before.PlayableState);
        Assert.Equal(sourceAudio, before.AudioCodec);
        using var recorder = new Recorder(host);

        Assert.True(await RunNextAsync(host));

        var media = await MediaAsync(host, upload.MediaFileId);
        Assert.Equal(PlayableState.Ready, media.PlayableState);
        Assert.Equal(100, media.PlayableProgress);
        Assert.Null(media.PlayableError);

        var playablePath = $"videos/2026/03/playable/{media.Id:D}.mp4";
        Assert.Equal(playablePath, StoragePaths.Variant(media.FilePath, MediaVariant.Playable));
        Assert.Contains(playablePath, host.StoredFiles());
        Assert.Empty(host.TempFiles());

        var full = host.FullPath(playablePath);
        var analysis = await FFProbe.AnalyseAsync(full);
        Assert.Contains("mp4", analysis.Format.FormatName);
        Assert.Equal("h264", analysis.PrimaryVideoStream?.CodecName);
        Assert.Equal("yuv420p", analysis.PrimaryVideoStream?.PixelFormat);
        Assert.Equal((TestClips.Width, TestClips.Height), (analysis.PrimaryVideoStream!.Width, analysis.PrimaryVideoStream.Height));
        Assert.Equal("aac", analysis.PrimaryAudioStream?.CodecName);
        Assert.InRange(analysis.Duration.TotalSeconds, 2.8, 3.2);
        Assert.Equal("isom", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(full)).AsSpan(8, 4)));

        // Faststart: the moov box (the index) is before the mdat box (the media), so a browser can start at once.
        var boxes = TestClips.TopLevelBoxes(await File.ReadAllBytesAsync(full)).Select(b => b.Type).ToList();
        Assert.Contains("moov", boxes);
        Assert.Contains("mdat", boxes);
        Assert.True(boxes.IndexOf("moov") < boxes.IndexOf("mdat"), $"moov should come before mdat: {string.Join(", ", boxes)}");

        // The bus saw it start at 0, go up (never down), and end Ready at 100.
        var seen = recorder.Seen;
        Assert.All(seen, c => Assert.Equal(media.Id, c.MediaFileId));
        Assert.Equal((PlayableState.Running, 0), (seen[0].State, seen[0].Progress));
        Assert.Equal(new MediaProcessingChanged(media.Id, PlayableState.Ready, 100, null), seen[^1]);
        Assert.All(seen.SkipLast(1), c => Assert.Equal(PlayableState.Running, c.State));
        Assert.All(seen.SkipLast(1), c => Assert.InRange(c.Progress, 0, 99));
        var percents = seen.SkipLast(1).Select(c => c.Progress).ToList();
        Assert.Equal(percents.Order(), percents);

        // Done: nothing more to do.
        Assert.False(await RunNextAsync(host));
    }

    [Fact]
    public async Task Nothing_queued_returns_false_and_a_clip_that_plays_as_it_is_is_not_a_job()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        using var recorder = new Recorder(host);

        Assert.False(await RunNextAsync(host));

        var upload = await host.IngestVideoAsync(await TestClips.H264Mp4Async(), nurse.Id);
        Assert.False(await RunNextAsync(host));
        Assert.Equal(PlayableState.Original, (await MediaAsync(host, upload.MediaFileId)).PlayableState);
        Assert.DoesNotContain(host.StoredFiles(), f => f.Contains("/playable/", StringComparison.Ordinal));
        Assert.Empty(recorder.Seen);
    }

    [Fact]
    public async Task A_job_left_running_by_a_stopped_process_is_queued_again_and_then_completes()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var upload = await host.IngestVideoAsync(await TestClips.HevcMp4Async(), nurse.Id);
        // As a process that crashed mid-transcode leaves it.
        await host.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayableState, PlayableState.Running).SetProperty(m => m.PlayableProgress, 37)));

        Assert.False(await RunNextAsync(host)); // a Running job is not picked up as it is

        var requeued = await host.WithAsync<TranscodeQueue, int>(q => q.RequeueInterruptedAsync(CancellationToken.None));

        Assert.Equal(1, requeued);
        var queued = await MediaAsync(host, upload.MediaFileId);
        Assert.Equal((PlayableState.Queued, 0), (queued.PlayableState, queued.PlayableProgress));

        Assert.True(await RunNextAsync(host));

        var media = await MediaAsync(host, upload.MediaFileId);
        Assert.Equal((PlayableState.Ready, 100), (media.PlayableState, media.PlayableProgress));
        Assert.True(File.Exists(host.FullPath(StoragePaths.Variant(media.FilePath, MediaVariant.Playable))));
        Assert.Equal(0, await host.WithAsync<TranscodeQueue, int>(q => q.RequeueInterruptedAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task A_failing_transcode_ends_failed_with_a_user_message_and_no_ffmpeg_output()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var upload = await host.IngestVideoAsync(await TestClips.HevcMp4Async(), nurse.Id);
        var original = (await MediaAsync(host, upload.MediaFileId)).FilePath;
        // The stored original is damaged on disk after it was accepted.
        var garbage = new byte[64 * 1024];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(host.FullPath(original), garbage);
        var filesBefore = host.StoredFiles();
        using var recorder = new Recorder(host);

        Assert.True(await RunNextAsync(host));

        var media = await MediaAsync(host, upload.MediaFileId);
        Assert.Equal(PlayableState.Failed, media.PlayableState);
        Assert.Equal(0, media.PlayableProgress);
        Assert.Equal("The clip could not be converted for browsers. The original is kept and can be downloaded.", media.PlayableError);
        foreach (var ffmpegSays in new[] { "ffmpeg", "[", "@ 0x", "Invalid data", "Error", host.Directory, ".part" })
            Assert.DoesNotContain(ffmpegSays, media.PlayableError);

        Assert.Equal(filesBefore, host.StoredFiles()); // no playable copy, no temp file left
        Assert.Empty(host.TempFiles());
        Assert.Equal(new MediaProcessingChanged(media.Id, PlayableState.Failed, 0, media.PlayableError), recorder.Seen[^1]);
        Assert.False(await RunNextAsync(host)); // a failed job is not retried by itself
    }

    [Theory]
    [InlineData("ffmpeg fails")]
    [InlineData("the store refuses the copy")]
    public async Task A_failure_is_written_once_with_the_users_sentence_whichever_step_failed(string failure)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var upload = await host.IngestVideoAsync(await TestClips.HevcMp4Async(), nurse.Id);
        var media = await MediaAsync(host, upload.MediaFileId);
        if (failure == "ffmpeg fails")
        {
            await File.WriteAllBytesAsync(host.FullPath(media.FilePath), new byte[4096]);
        }
        else
        {
            // ffmpeg succeeds, then the finished copy cannot be put in place: a file stands where its folder goes.
            var folder = host.FullPath(Path.GetDirectoryName(new BlobFiles(media.FilePath, media.MimeType).PlayablePath)!);
            await File.WriteAllTextAsync(folder, "in the way");
        }
        using var recorder = new Recorder(host);

        Assert.True(await RunNextAsync(host));

        var failed = await MediaAsync(host, upload.MediaFileId);
        Assert.Equal((PlayableState.Failed, 0, TranscodeQueue.FailedMessage), (failed.PlayableState, failed.PlayableProgress, failed.PlayableError));
        Assert.Equal("The clip could not be converted for browsers. The original is kept and can be downloaded.", failed.PlayableError);
        // One final state on the bus, after every running percent.
        Assert.Single(recorder.Seen, c => c.State != PlayableState.Running);
        Assert.Equal(new MediaProcessingChanged(media.Id, PlayableState.Failed, 0, TranscodeQueue.FailedMessage), recorder.Seen[^1]);
        Assert.Empty(host.TempFiles());
        Assert.False(await RunNextAsync(host));
    }
}
