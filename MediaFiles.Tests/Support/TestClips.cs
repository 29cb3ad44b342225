using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;

namespace MediaFiles.Tests.Support;

/// <summary>A generated clip on disk, with the name and type a browser would send it with.</summary>
public sealed record TestClip(string Path, string FileName, string MimeType)
{
    public byte[] Bytes() => File.ReadAllBytes(Path);
    public long Length => new FileInfo(Path).Length;
    public FileStream OpenRead() => File.OpenRead(Path);
}

/// <summary>
/// Video clips made with ffmpeg (testsrc picture + sine tone) at test time, small and short. Each is
/// made once per test run (a static cached task) into a temp folder of this process, removed at exit.
/// </summary>
public static class TestClips
{
    public const int Width = 320;
    public const int Height = 240;
    public const double H264Seconds = 5;
    public const double ShortSeconds = 3;
    public const int TooLongSeconds = 121;

    private static readonly string Folder = CreateFolder();

    private static readonly Lazy<Task<TestClip>> H264 = Cached(CreateH264Async);
    private static readonly Lazy<Task<TestClip>> Hevc = Cached(CreateHevcAsync);
    private static readonly Lazy<Task<TestClip>> Vp9 = Cached(CreateVp9Async);
    private static readonly Lazy<Task<TestClip>> Long = Cached(CreateTooLongAsync);
    private static readonly Lazy<Task<TestClip>> Truncated = Cached(CreateTruncatedAsync);
    private static readonly Lazy<Task<TestClip>> NoMoov = Cached(CreateWithoutMoovAsync);
    private static readonly Lazy<Task<TestClip>> Jpeg = Cached(CreateJpegAsMp4Async);
    private static readonly Lazy<Task<TestClip>> AudioOnly = Cached(CreateAudioOnlyAsync);
    private static readonly Lazy<Task<TestClip>> Rotated = Cached(CreateRotatedAsync);
    private static readonly Lazy<Task<TestClip>> Phone444 = Cached(CreatePhone444Mp3Async);
    private static readonly Lazy<Task<TestClip>> LongGop10 = Cached(CreateLongGop10BitAsync);

    /// <summary>
    /// A whole phone-style clip: H.264 High 4:4:4 (yuv444p) with MP3 audio in MP4, 160 × 120, 30 fps,
    /// 14 s, open GOPs with a keyframe every 3.8 s and B-frames: decoding from a keyframe near the end
    /// makes the decoder complain of references before it ("mmco: unref short failure").
    /// </summary>
    public static Task<TestClip> Phone444Mp3Async() => Phone444.Value;

    /// <summary>A whole 12 s 10-bit H.264 (High 10, yuv420p10le) + AAC MP4, 160 × 120, 25 fps, one keyframe every 250 frames (10 s).</summary>
    public static Task<TestClip> LongGop10BitAsync() => LongGop10.Value;

    /// <summary>H.264 (yuv420p) + AAC in MP4 with faststart, 320 × 240, 25 fps, 5 s: plays in browsers as it is.</summary>
    public static Task<TestClip> H264Mp4Async() => H264.Value;

    /// <summary>HEVC (tagged hvc1, as iPhones write it) + AAC in MP4, 320 × 240, 25 fps, 3 s: needs a playable copy.</summary>
    public static Task<TestClip> HevcMp4Async() => Hevc.Value;

    /// <summary>VP9 + Opus in WebM, 320 × 240, 25 fps, 3 s: needs a playable copy.</summary>
    public static Task<TestClip> Vp9WebMAsync() => Vp9.Value;

    /// <summary>A 121 s H.264 MP4 (64 × 64, 5 fps, no sound): one second over the 2:00 limit.</summary>
    public static Task<TestClip> TooLongMp4Async() => Long.Value;

    /// <summary>A faststart H.264 MP4 (moov first) cut to 60 % of its bytes: the header probes fine, the end is missing.</summary>
    public static Task<TestClip> TruncatedMp4Async() => Truncated.Value;

    /// <summary>A plain (moov at the end) H.264 MP4 cut to 60 % of its bytes: the moov box never arrived.</summary>
    public static Task<TestClip> TruncatedBeforeMoovMp4Async() => NoMoov.Value;

    /// <summary>A JPEG photo renamed to .mp4.</summary>
    public static Task<TestClip> JpegRenamedMp4Async() => Jpeg.Value;

    /// <summary>AAC sound only, in MP4 (brand isom, like a video), 3 s.</summary>
    public static Task<TestClip> AudioOnlyMp4Async() => AudioOnly.Value;

    /// <summary>
    /// A phone-style portrait clip: 320 × 240 H.264 pixels with a 90° display rotation (remuxed with
    /// -metadata:s:v:0 rotate=90), so it is shown 240 × 320. 2 s.
    /// </summary>
    public static Task<TestClip> RotatedMp4Async() => Rotated.Value;

    /// <summary>
    /// The H.264 clip remuxed (no re-encode) with a unique title: the same picture and sound, bytes
    /// of its own, so it never deduplicates against another upload.
    /// </summary>
    public static async Task<TestClip> UniqueH264Mp4Async(string fileName = "gait.mp4")
    {
        var source = await H264Mp4Async();
        var path = System.IO.Path.Combine(Folder, $"unique-{Guid.NewGuid():N}.mp4");
        await FfmpegAsync("-i", source.Path, "-map", "0", "-c", "copy", "-metadata", $"title={Guid.NewGuid():N}", "-movflags", "+faststart", path);
        return new TestClip(path, fileName, "video/mp4");
    }

    /// <summary>The top-level ISO BMFF boxes of an MP4 (type and offset), in file order.</summary>
    public static IReadOnlyList<(string Type, long Offset, long Size)> TopLevelBoxes(byte[] mp4)
    {
        var boxes = new List<(string, long, long)>();
        long at = 0;
        while (at + 8 <= mp4.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan((int)at, 4));
            var type = Encoding.ASCII.GetString(mp4, (int)at + 4, 4);
            if (size == 1 && at + 16 <= mp4.Length) size = (long)BinaryPrimitives.ReadUInt64BigEndian(mp4.AsSpan((int)at + 8, 8));
            else if (size == 0) size = mp4.Length - at;
            boxes.Add((type, at, size));
            if (size < 8) break;
            at += size;
        }
        return boxes;
    }

    /// <summary>Runs ffmpeg (quiet, no stdin, overwriting) and fails with its stderr when it does not succeed.</summary>
    public static async Task FfmpegAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-v", "error", "-y" }.Concat(arguments)) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
    }

    private static Lazy<Task<TestClip>> Cached(Func<Task<TestClip>> create) => new(() => Task.Run(create), LazyThreadSafetyMode.ExecutionAndPublication);

    private static string CreateFolder()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mediafiles-test-clips", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
        return folder;
    }

    private static string In(string name) => System.IO.Path.Combine(Folder, name);

    private static string[] TestPicture(double seconds, int width = Width, int height = Height, int rate = 25) =>
        ["-f", "lavfi", "-i", FormattableString.Invariant($"testsrc=duration={seconds}:size={width}x{height}:rate={rate}")];

    private static string[] Tone(double seconds) =>
        ["-f", "lavfi", "-i", FormattableString.Invariant($"sine=frequency=440:sample_rate=48000:duration={seconds}")];

    private static readonly string[] X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

    private static async Task<TestClip> CreateH264Async()
    {
        var path = In("h264-aac.mp4");
        await FfmpegAsync([.. TestPicture(H264Seconds), .. Tone(H264Seconds), .. X264, "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", path]);
        return new TestClip(path, "gait.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateHevcAsync()
    {
        var path = In("hevc-aac.mp4");
        await FfmpegAsync([.. TestPicture(ShortSeconds), .. Tone(ShortSeconds),
            "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", path]);
        return new TestClip(path, "IMG_0042.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateVp9Async()
    {
        var path = In("vp9-opus.webm");
        await FfmpegAsync([.. TestPicture(ShortSeconds), .. Tone(ShortSeconds),
            "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k", "-c:a", "libopus", "-b:a", "48k", path]);
        return new TestClip(path, "tremor.webm", "video/webm");
    }

    private static async Task<TestClip> CreateTooLongAsync()
    {
        var path = In("too-long.mp4");
        await FfmpegAsync([.. TestPicture(TooLongSeconds, 64, 64, rate: 5), .. X264, "-crf", "40", "-movflags", "+faststart", path]);
        return new TestClip(path, "long-walk.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreatePhone444Mp3Async()
    {
        var path = In("phone-444-mp3.mp4");
        await FfmpegAsync([.. TestPicture(14, 160, 120, rate: 30), .. Tone(14),
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv444p", "-g", "114", "-x264-params", "open-gop=1",
            "-c:a", "libmp3lame", "-b:a", "64k", path]);
        return new TestClip(path, "IMG_4412.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateLongGop10BitAsync()
    {
        var path = In("long-gop-10bit.mp4");
        await FfmpegAsync([.. TestPicture(12, 160, 120), .. Tone(12),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-g", "250",
            "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", path]);
        return new TestClip(path, "VID_long_gop.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateTruncatedAsync()
    {
        var whole = (await H264Mp4Async()).Bytes();
        var boxes = TopLevelBoxes(whole);
        var moov = boxes.Single(b => b.Type == "moov");
        var mdat = boxes.Single(b => b.Type == "mdat");
        if (moov.Offset > mdat.Offset) throw new InvalidOperationException("The H.264 clip should be faststart (moov first).");
        var cut = (int)(whole.Length * 0.6);
        if (cut <= moov.Offset + moov.Size) throw new InvalidOperationException("The cut should be inside mdat.");
        var path = In("truncated-60.mp4");
        await File.WriteAllBytesAsync(path, whole.AsSpan(0, cut).ToArray());
        return new TestClip(path, "cut-off.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateWithoutMoovAsync()
    {
        var plain = In("moov-last.mp4");
        await FfmpegAsync([.. TestPicture(2), .. Tone(2), .. X264, "-c:a", "aac", "-b:a", "64k", plain]);
        var whole = await File.ReadAllBytesAsync(plain);
        var moov = TopLevelBoxes(whole).Single(b => b.Type == "moov");
        var cut = (int)(whole.Length * 0.6);
        if (cut > moov.Offset) throw new InvalidOperationException("The plain clip should have its moov box at the end.");
        var path = In("truncated-before-moov.mp4");
        await File.WriteAllBytesAsync(path, whole.AsSpan(0, cut).ToArray());
        return new TestClip(path, "half-sent.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateJpegAsMp4Async()
    {
        var path = In("photo-renamed.mp4");
        await File.WriteAllBytesAsync(path, TestImages.SmallJpeg(seed: 17, width: 320, height: 240));
        return new TestClip(path, "wound.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateAudioOnlyAsync()
    {
        var path = In("audio-only.mp4");
        await FfmpegAsync([.. Tone(ShortSeconds), "-c:a", "aac", "-b:a", "64k", "-f", "mp4", path]);
        return new TestClip(path, "voice-note.mp4", "video/mp4");
    }

    private static async Task<TestClip> CreateRotatedAsync()
    {
        var landscape = In("rotated-source.mp4");
        await FfmpegAsync([.. TestPicture(2), .. Tone(2), .. X264, "-c:a", "aac", "-b:a", "64k", landscape]);
        var path = In("rotated-90.mp4");
        await FfmpegAsync("-i", landscape, "-map", "0", "-c", "copy", "-metadata:s:v:0", "rotate=90", "-movflags", "+faststart", path);
        return new TestClip(path, "VID_20260315_0930.mp4", "video/mp4");
    }
}

/// <summary>The video ingest, run as the HTTP endpoint runs it (its own scope, the bytes read from a file).</summary>
public static class VideoIngestHostExtensions
{
    public static async Task<IngestResult> IngestVideoAsync(this CoreTestHost host, TestClip clip, Guid userId,
        string? fileName = null, string? mimeType = null)
    {
        await using var body = clip.OpenRead();
        return await host.WithAsync<MediaIngest, IngestResult>(p => p.IngestAsync(body,
            new IngestRequest(userId, fileName ?? clip.FileName, mimeType ?? clip.MimeType, MediaCategory.Videos), null, CancellationToken.None));
    }
}
