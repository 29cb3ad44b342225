using System.Security.Cryptography;
using ImageMagick;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Core;

/// <summary>The video path to a staged MediaFile: probe, limits, tail check, poster, placement and the playable decision.</summary>
public sealed class VideoIngestPipelineTests
{
    private static Task<MediaFile> MediaAsync(CoreTestHost host, Guid id) =>
        host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>Whether the transcode worker was woken (consumes the wake-up).</summary>
    private static Task<bool> TranscodeWasWokenAsync(CoreTestHost host) =>
        host.Services.GetRequiredService<MediaFiles.Core.Background.WorkSignal<TranscodeQueue>>().WaitAsync(TimeSpan.Zero, CancellationToken.None);

    private static async Task<IngestRefusedException> RefusedAsync(CoreTestHost host, TestClip clip, Guid userId, string? fileName = null, string? mime = null) =>
        await Assert.ThrowsAsync<IngestRefusedException>(() => host.IngestVideoAsync(clip, userId, fileName, mime));

    /// <summary>Mean brightness of an image, 0 (black) to 1 (white).</summary>
    private static double MeanBrightness(string path)
    {
        using var image = new MagickImage(path);
        image.Grayscale();
        return image.Statistics().Composite().Mean / Quantum.Max;
    }

    // ---------------------------------------------------------------- H.264 / AAC MP4: kept as it is

    [Fact]
    public async Task H264_aac_mp4_is_saved_playable_as_it_is_with_its_facts_and_files()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var clip = await TestClips.H264Mp4Async();

        var result = await host.IngestVideoAsync(clip, nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        Assert.Equal("gait.mp4", result.FileName);
        Assert.Equal(clip.Length, result.Size);
        Assert.Equal((TestClips.Width, TestClips.Height), (result.Width, result.Height));
        Assert.InRange(result.DurationSeconds!.Value, 4.9, 5.1);

        var media = await MediaAsync(host, result.MediaFileId);
        Assert.Equal(PlayableState.Original, media.PlayableState);
        Assert.Equal(0, media.PlayableProgress);
        Assert.Null(media.PlayableError);
        Assert.Equal("video/mp4", media.MimeType);
        Assert.Equal($"videos/2026/03/originals/{media.Id:D}.mp4", media.FilePath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(clip.Bytes())), media.Sha256);
        Assert.Equal(clip.Length, media.Size);
        Assert.Equal(TestClips.Width, media.Width);
        Assert.Equal(TestClips.Height, media.Height);
        Assert.InRange(media.DurationSeconds!.Value, 4.9, 5.1);
        Assert.Equal("h264", media.VideoCodec);
        Assert.Equal("aac", media.AudioCodec);
        Assert.InRange(media.FrameRate!.Value, 24.5, 25.5);
        // The whole file's bits over its length: a 123 KB file of 5 s is some 200 kbit/s.
        var expectedBitrate = clip.Length * 8 / TestClips.H264Seconds;
        Assert.InRange(media.Bitrate!.Value, expectedBitrate * 0.9, expectedBitrate * 1.1);
        Assert.Contains("\"rotation\":0", media.MetadataJson);
        Assert.Contains("\"format\":\"MP4\"", media.MetadataJson);
        Assert.Equal(1, media.ReferenceCount);
        Assert.Equal(nurse.Id, media.StagedById);

        var staged = await host.DbAsync(db => db.StagedUploads.AsNoTracking().SingleAsync());
        Assert.Equal((result.UploadId, media.Id, nurse.Id, false), (staged.Id, staged.MediaFileId, staged.UploadedById, staged.WasDuplicate));

        var id = media.Id.ToString("D");
        Assert.Equal(
            [$"videos/2026/03/large/{id}.jpg", $"videos/2026/03/originals/{id}.mp4", $"videos/2026/03/thumbnails/{id}.jpg"],
            host.StoredFiles());
        Assert.Equal(clip.Bytes(), await File.ReadAllBytesAsync(host.FullPath(media.FilePath)));
    }

    [Fact]
    public async Task Poster_and_thumbnail_are_jpegs_of_a_picture_not_a_black_frame()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var result = await host.IngestVideoAsync(await TestClips.H264Mp4Async(), nurse.Id);
        var original = (await MediaAsync(host, result.MediaFileId)).FilePath;

        // The poster keeps the clip's size (it is under the 1200 px box); the thumbnail fits 200 px.
        foreach (var (variant, width, height) in new[] { (MediaVariant.Large, 320u, 240u), (MediaVariant.Thumbnail, 200u, 150u) })
        {
            var path = host.FullPath(StoragePaths.Variant(original, variant));
            var info = new MagickImageInfo(path);
            Assert.Equal(MagickFormat.Jpeg, info.Format);
            Assert.Equal((variant, width, height), (variant, info.Width, info.Height));
            var brightness = MeanBrightness(path);
            Assert.True(brightness > 0.2, $"{variant} poster is (nearly) black: mean brightness {brightness:0.###}");
        }
    }

    [Fact]
    public async Task Rotated_phone_clip_is_stored_portrait_and_its_poster_is_upright()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var result = await host.IngestVideoAsync(await TestClips.RotatedMp4Async(), nurse.Id);

        var media = await MediaAsync(host, result.MediaFileId);
        Assert.Equal((240, 320), (media.Width, media.Height)); // shown size: the 320 × 240 pixels turned
        Assert.Matches("\"rotation\":(90|270)", media.MetadataJson);
        Assert.Equal(PlayableState.Original, media.PlayableState);

        foreach (var (variant, width, height) in new[] { (MediaVariant.Large, 240u, 320u), (MediaVariant.Thumbnail, 150u, 200u) })
        {
            var info = new MagickImageInfo(host.FullPath(StoragePaths.Variant(media.FilePath, variant)));
            Assert.Equal((variant, width, height), (variant, info.Width, info.Height));
        }
    }

    // ---------------------------------------------------------------- other codecs: queued for a playable copy

    [Theory]
    [InlineData("hevc", "video/mp4", "mp4", "hevc", "aac")]
    [InlineData("vp9", "video/webm", "webm", "vp9", "opus")]
    public async Task Clips_browsers_cannot_all_play_are_saved_and_queued_for_a_playable_copy(
        string which, string mime, string extension, string videoCodec, string audioCodec)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var clip = which == "hevc" ? await TestClips.HevcMp4Async() : await TestClips.Vp9WebMAsync();

        var result = await host.IngestVideoAsync(clip, nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        var media = await MediaAsync(host, result.MediaFileId);
        Assert.Equal(PlayableState.Queued, media.PlayableState);
        Assert.Equal(mime, media.MimeType);
        Assert.Equal(videoCodec, media.VideoCodec);
        Assert.Equal(audioCodec, media.AudioCodec);
        Assert.Equal((TestClips.Width, TestClips.Height), (media.Width, media.Height));
        Assert.InRange(media.DurationSeconds!.Value, 2.9, 3.1);
        var id = media.Id.ToString("D");
        Assert.Equal(
            [$"videos/2026/03/large/{id}.jpg", $"videos/2026/03/originals/{id}.{extension}", $"videos/2026/03/thumbnails/{id}.jpg"],
            host.StoredFiles());
        Assert.True(await TranscodeWasWokenAsync(host), "the transcode worker should be woken for a queued clip");
    }

    // ---------------------------------------------------------------- whole clips the old tail check called damaged

    [Theory]
    [InlineData("phone-444-mp3", "yuv444p", "mp3")]
    [InlineData("long-gop-10bit", "yuv420p10le", "aac")]
    public async Task Whole_clips_with_long_or_open_gops_444_or_10_bit_are_accepted_and_transcoded_to_8_bit_420(
        string which, string pixelFormat, string audioCodec)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var clip = which == "phone-444-mp3" ? await TestClips.Phone444Mp3Async() : await TestClips.LongGop10BitAsync();

        var result = await host.IngestVideoAsync(clip, nurse.Id);

        Assert.Equal(IngestOutcome.Saved, result.Outcome);
        var media = await MediaAsync(host, result.MediaFileId);
        Assert.Equal(PlayableState.Queued, media.PlayableState);
        Assert.Equal("h264", media.VideoCodec);
        Assert.Equal(audioCodec, media.AudioCodec);
        Assert.Contains($"\"pixelFormat\":\"{pixelFormat}\"", media.MetadataJson);

        Assert.True(await host.WithAsync<TranscodeQueue, bool>(q => q.RunNextAsync(CancellationToken.None)));
        media = await MediaAsync(host, result.MediaFileId);
        Assert.Equal(PlayableState.Ready, media.PlayableState);
        var playable = await FFMpegCore.FFProbe.AnalyseAsync(host.FullPath(StoragePaths.Variant(media.FilePath, MediaVariant.Playable)));
        Assert.Equal("h264", playable.PrimaryVideoStream?.CodecName);
        Assert.Equal("yuv420p", playable.PrimaryVideoStream?.PixelFormat);
        Assert.Equal("High", playable.PrimaryVideoStream?.Profile);
        Assert.Equal("aac", playable.PrimaryAudioStream?.CodecName);
    }

    [Fact]
    public async Task The_tail_is_decoded_from_the_last_keyframe()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var clip = await TestClips.Phone444Mp3Async();
        var ffmpeg = host.Services.GetRequiredService<Ffmpeg>();

        var keyframe = await ffmpeg.LastKeyframeAsync(clip.Path, TimeSpan.FromSeconds(14), CancellationToken.None);

        Assert.InRange(keyframe.TotalSeconds, 11.39, 11.41); // keyframes at 0, 3.8, 7.6 and 11.4 s
        Assert.True(await ffmpeg.DecodesToTheEndAsync(clip.Path, isoMedia: true, TimeSpan.FromSeconds(14), CancellationToken.None));
        Assert.False(await ffmpeg.DecodesToTheEndAsync((await TestClips.TruncatedMp4Async()).Path, isoMedia: true, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task The_container_tells_a_cut_file_from_a_whole_one()
    {
        Assert.True(ContainerCheck.IsComplete((await TestClips.H264Mp4Async()).Path, isoMedia: true));
        Assert.True(ContainerCheck.IsComplete((await TestClips.Phone444Mp3Async()).Path, isoMedia: true));
        Assert.True(ContainerCheck.IsComplete((await TestClips.Vp9WebMAsync()).Path, isoMedia: false));
        // Faststart cut inside mdat: the mdat box declares more bytes than there are.
        Assert.False(ContainerCheck.IsComplete((await TestClips.TruncatedMp4Async()).Path, isoMedia: true));
        // Cut before the moov box.
        Assert.False(ContainerCheck.IsComplete((await TestClips.TruncatedBeforeMoovMp4Async()).Path, isoMedia: true));

        var whole = (await TestClips.H264Mp4Async()).Bytes();
        using (var padded = new MemoryStream([.. whole, 0, 0, 0, 0]))
            Assert.True(ContainerCheck.IsComplete(padded, isoMedia: true));
        using (var halfHeader = new MemoryStream([.. whole, 0, 0, 0, 9, (byte)'f']))
            Assert.False(ContainerCheck.IsComplete(halfHeader, isoMedia: true));

        var webm = (await TestClips.Vp9WebMAsync()).Bytes();
        using (var cut = new MemoryStream(webm[..(webm.Length * 6 / 10)]))
            Assert.False(ContainerCheck.IsComplete(cut, isoMedia: false));
        // A live recording's Segment of unknown size (all ones) cannot be checked by size: not called cut.
        byte[] unknown = [0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x82, 0x81, 0x00, 0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        using (var live = new MemoryStream(unknown))
            Assert.True(ContainerCheck.IsComplete(live, isoMedia: false));
        byte[] declaresMore = [0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x82, 0x81, 0x00, 0x18, 0x53, 0x80, 0x67, 0x88, 0x00];
        using (var more = new MemoryStream(declaresMore))
            Assert.False(ContainerCheck.IsComplete(more, isoMedia: false));
    }

    [Theory]
    [InlineData("[h264 @ 0x55] mmco: unref short failure", false)]
    [InlineData("[hevc @ 0x55] Could not find ref with POC 12", false)]
    [InlineData("[h264 @ 0x55] Invalid NAL unit size (1234 > 567).", true)]
    [InlineData("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55] stream 0, offset 0x1234: partial file", true)]
    [InlineData("Error while decoding stream #0:0: Invalid data found when processing input", true)]
    [InlineData("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers", false)]
    public void Only_real_decode_errors_count(string line, bool counts) =>
        Assert.Equal(counts, Ffmpeg.IsDecodeError(line));

    // ---------------------------------------------------------------- refusals: nothing is left behind

    [Theory]
    [InlineData("too-long", "too_long", "2:00")]
    [InlineData("truncated", "unreadable", "damaged or incomplete")]
    [InlineData("no-moov", "unreadable", "damaged or incomplete")]
    [InlineData("jpeg", "type_mismatch", "JPEG image but is named .mp4")]
    [InlineData("audio-only", "no_video", "no video stream")]
    public async Task Refused_clips_leave_no_file_no_row_and_no_temp_file(string which, string code, string message)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var clip = which switch
        {
            "too-long" => await TestClips.TooLongMp4Async(),
            "truncated" => await TestClips.TruncatedMp4Async(),
            "no-moov" => await TestClips.TruncatedBeforeMoovMp4Async(),
            "jpeg" => await TestClips.JpegRenamedMp4Async(),
            "audio-only" => await TestClips.AudioOnlyMp4Async(),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };

        var refused = await RefusedAsync(host, clip, nurse.Id);

        Assert.Equal(code, refused.Code);
        Assert.Contains(message, refused.Message);
        Assert.DoesNotContain(host.Directory, refused.Message);
        await host.AssertNothingLeftBehindAsync();
        Assert.False(await TranscodeWasWokenAsync(host));
    }

    [Fact]
    public async Task A_clip_over_two_minutes_is_refused_naming_its_length_and_the_limit()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var refused = await RefusedAsync(host, await TestClips.TooLongMp4Async(), nurse.Id);

        Assert.Equal("The clip is 2:01 long: at most 2:00 is accepted.", refused.Message);
    }

    [Fact]
    public async Task A_clip_over_max_bytes_is_refused_while_streaming()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Videos:MaxBytes"] = "65536" });
        var nurse = await host.UserAsync("nurse");
        var clip = await TestClips.H264Mp4Async();
        Assert.True(clip.Length > 65536);

        var refused = await RefusedAsync(host, clip, nurse.Id);

        Assert.Equal("too_large", refused.Code);
        Assert.Contains("64 KB", refused.Message);
        Assert.Contains("video clip", refused.Message);
        await host.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task A_clip_over_max_side_is_refused_with_its_size_and_the_limit()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Videos:MaxSide"] = "100" });
        var nurse = await host.UserAsync("nurse");

        var refused = await RefusedAsync(host, await TestClips.H264Mp4Async(), nurse.Id);

        Assert.Equal("too_many_pixels", refused.Code);
        Assert.Equal("The video is 320 × 240 px: at most 100 px a side is accepted.", refused.Message);
        await host.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task A_codec_outside_the_configured_list_is_refused_naming_it_and_the_list()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Videos:Codecs:0"] = "vp9" });
        var nurse = await host.UserAsync("nurse");
        Assert.Equal(["vp9"], host.Options.Videos.Codecs); // replaces the default list, not added to it

        var refused = await RefusedAsync(host, await TestClips.H264Mp4Async(), nurse.Id);

        Assert.Equal("codec_not_accepted", refused.Code);
        Assert.Equal("The video codec is h264: accepted are vp9.", refused.Message);
        await host.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task A_declared_type_that_disagrees_with_the_bytes_is_refused()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");

        var refused = await RefusedAsync(host, await TestClips.Vp9WebMAsync(), nurse.Id, "tremor.mp4", "video/mp4");

        Assert.Equal("type_mismatch", refused.Code);
        Assert.Contains(".webm", refused.Message);
        await host.AssertNothingLeftBehindAsync();
    }

    // ---------------------------------------------------------------- dedup

    [Fact]
    public async Task The_same_clip_twice_is_a_duplicate_with_two_references_and_no_new_files()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var clip = await TestClips.H264Mp4Async();

        var first = await host.IngestVideoAsync(clip, nurse.Id);
        var filesAfterFirst = host.StoredFiles();

        var second = await host.IngestVideoAsync(clip, admin.Id, fileName: "same-gait.mp4");

        Assert.Equal(IngestOutcome.Saved, first.Outcome);
        Assert.Equal(IngestOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.MediaFileId, second.MediaFileId);
        Assert.NotEqual(first.UploadId, second.UploadId);
        Assert.Equal("same-gait.mp4", second.FileName);
        Assert.InRange(second.DurationSeconds!.Value, 4.9, 5.1);
        Assert.Equal(filesAfterFirst, host.StoredFiles());
        Assert.Equal(1, await host.DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.Equal(2, (await MediaAsync(host, first.MediaFileId)).ReferenceCount);
        var staged = await host.DbAsync(db => db.StagedUploads.AsNoTracking().OrderBy(s => s.WasDuplicate).ToListAsync());
        Assert.Equal(new[] { (nurse.Id, false), (admin.Id, true) }, staged.Select(s => (s.UploadedById, s.WasDuplicate)));
    }

    // ---------------------------------------------------------------- without ffmpeg

    [Fact]
    public async Task Without_ffmpeg_video_is_refused_with_the_install_message_and_photos_still_work()
    {
        var emptyFolder = Path.Combine(Path.GetTempPath(), "mediafiles-no-ffmpeg", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(emptyFolder);
        try
        {
            await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:Videos:FfmpegFolder"] = emptyFolder });
            var nurse = await host.UserAsync("nurse");

            var refused = await RefusedAsync(host, await TestClips.H264Mp4Async(), nurse.Id);

            Assert.Equal("ffmpeg_missing", refused.Code);
            Assert.Equal(VideoIngestPipeline.FfmpegMissingMessage, refused.Message);
            Assert.Contains("apt-get install ffmpeg", refused.Message);
            await host.AssertNothingLeftBehindAsync();

            var photo = await host.IngestAsync(TestImages.SmallJpeg(seed: 3), "wound.jpg", "image/jpeg", nurse.Id);
            Assert.Equal(IngestOutcome.Saved, photo.Outcome);
            Assert.Equal("image/jpeg", (await MediaAsync(host, photo.MediaFileId)).MimeType);
            Assert.Equal(4, host.StoredFiles().Count); // original, large, medium, thumbnail
        }
        finally
        {
            Directory.Delete(emptyFolder, recursive: true);
        }
    }
}
