using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ImageMagick;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Web;

/// <summary>The upload reply of a video (the photo reply plus the clip's length).</summary>
public sealed record VideoUploadReply(Guid UploadId, Guid MediaFileId, string Outcome, string FileName, long Size, int? Width, int? Height, double? DurationSeconds);

/// <summary>Uploads with <c>?kind=video</c>, which the shared client helper does not send.</summary>
public static class VideoClientExtensions
{
    public static async Task<HttpResponseMessage> PostVideoUploadAsync(this SignedInClient client, TestClip clip, string? fileName = null)
    {
        using var request = SignedInClient.UploadRequest(new ByteArrayContent(clip.Bytes()), fileName ?? clip.FileName, clip.MimeType, client.Token);
        request.RequestUri = new Uri("/api/uploads?kind=video", UriKind.Relative);
        return await client.Http.SendAsync(request);
    }

    public static async Task<VideoUploadReply> UploadVideoAsync(this SignedInClient client, TestClip clip, string? fileName = null)
    {
        using var response = await client.PostVideoUploadAsync(clip, fileName);
        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<VideoUploadReply>(JsonSerializerOptions.Web))!;
    }

    /// <summary>POST /api/patients/{id}/videos; expects 201 and returns the clip id.</summary>
    public static async Task<Guid> CreateClipAsync(this SignedInClient client, Guid patientId, Guid uploadId, string? caption = null, DateTime? eventDateTime = null)
    {
        using var response = await client.PostJsonAsync($"/api/patients/{patientId}/videos", new { uploadId, caption, eventDateTime });
        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/videos/{id}", response.Headers.Location?.OriginalString);
        return id;
    }
}

/// <summary>Video over HTTP: upload ?kind=video, attach, the clip API, byte ranges on /media, access, audit, /health.</summary>
public sealed class VideoApiTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    private const string Patient = "Helena Marsh"; // Surgical Ward 3B

    /// <summary>A fresh (never deduplicated) H.264 clip of the nurse, uploaded and attached to Helena Marsh.</summary>
    private async Task<(SignedInClient Nurse, Guid ClipId, VideoUploadReply Upload, byte[] Bytes)> ClipAsync(string caption = "Gait, day 2")
    {
        var nurse = await app.SignInAsync("nurse");
        var clip = await TestClips.UniqueH264Mp4Async();
        var upload = await nurse.UploadVideoAsync(clip);
        var clipId = await nurse.CreateClipAsync(await nurse.PatientIdAsync(Patient), upload.UploadId, caption);
        return (nurse, clipId, upload, clip.Bytes());
    }

    private static async Task<HttpResponseMessage> GetRangeAsync(SignedInClient client, string url, long? from, long? to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(from, to);
        return await client.Http.SendAsync(request);
    }

    private Task<List<AuditEntry>> ReadsAsync(Guid mediaFileId) =>
        app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.MediaFileId == mediaFileId && a.Action == AuditActions.MediaRead).OrderBy(a => a.Id).ToListAsync());

    [Fact]
    public async Task Upload_as_video_attach_and_the_timeline_shows_a_type_10_entry_with_its_length()
    {
        using var nurse = await app.SignInAsync("nurse");
        var clip = await TestClips.UniqueH264Mp4Async("walk test.mp4");
        var patientId = await nurse.PatientIdAsync(Patient);

        using var uploaded = await nurse.PostVideoUploadAsync(clip);

        await SignedInClient.ExpectAsync(uploaded, HttpStatusCode.Created);
        var upload = (await uploaded.Content.ReadFromJsonAsync<VideoUploadReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("saved", upload.Outcome);
        Assert.Equal("walk test.mp4", upload.FileName);
        Assert.Equal(clip.Length, upload.Size);
        Assert.Equal((TestClips.Width, TestClips.Height), (upload.Width, upload.Height));
        Assert.InRange(upload.DurationSeconds!.Value, 4.9, 5.1);
        Assert.Equal($"/media/{upload.MediaFileId}/original", uploaded.Headers.Location?.OriginalString);

        var clipId = await nurse.CreateClipAsync(patientId, upload.UploadId, "Walking with frame");

        var timeline = await nurse.GetJsonAsync<List<JsonElement>>($"/api/patients/{patientId}/timeline");
        var entry = Assert.Single(timeline, e => e.GetProperty("eventId").GetGuid() == clipId);
        Assert.Equal((int)EventType.VideoClip, entry.GetProperty("type").GetInt32());
        Assert.Equal(10, entry.GetProperty("type").GetInt32());
        Assert.InRange(entry.GetProperty("durationSeconds").GetDouble(), 4.9, 5.1);
        Assert.Equal(upload.MediaFileId, entry.GetProperty("mediaFileId").GetGuid());
        Assert.Equal("Walking with frame", entry.GetProperty("description").GetString());
        Assert.Equal((int)PlayableState.Original, entry.GetProperty("playableState").GetInt32());

        var detail = await nurse.GetJsonAsync<JsonElement>($"/api/videos/{clipId}");
        Assert.Equal(patientId, detail.GetProperty("patientId").GetGuid());
        Assert.Equal("h264", detail.GetProperty("videoCodec").GetString());
        Assert.Equal("aac", detail.GetProperty("audioCodec").GetString());
        Assert.Equal("video/mp4", detail.GetProperty("mimeType").GetString());
        Assert.Equal((int)PlayableState.Original, detail.GetProperty("playableState").GetInt32());
        Assert.True(detail.GetProperty("canEdit").GetBoolean());

        var created = await app.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.VideoCreate && a.EventId == clipId));
        Assert.Equal((true, upload.MediaFileId, patientId), (created.Success, created.MediaFileId, created.PatientId));
    }

    [Theory]
    [InlineData("playable")]
    [InlineData("original")]
    public async Task Clip_is_served_in_byte_ranges(string variant)
    {
        var (nurse, _, upload, bytes) = await ClipAsync();
        using var _ = nurse;
        var url = $"/media/{upload.MediaFileId}/{variant}";
        var n = bytes.Length;

        using (var whole = await nurse.Http.GetAsync(url))
        {
            await SignedInClient.ExpectAsync(whole, HttpStatusCode.OK);
            Assert.Equal("bytes", Assert.Single(whole.Headers.AcceptRanges));
            Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
            Assert.Equal(n, whole.Content.Headers.ContentLength);
            Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        }

        foreach (var (from, to, first, last) in new (long?, long?, int, int)[]
                 {
                     (0, 99, 0, 99),                 // bytes=0-99
                     (1000, 5999, 1000, 5999),       // a middle range
                     (null, 100, n - 100, n - 1),    // bytes=-100: the last 100
                 })
        {
            using var partial = await GetRangeAsync(nurse, url, from, to);
            await SignedInClient.ExpectAsync(partial, HttpStatusCode.PartialContent);
            Assert.Equal($"bytes {first}-{last}/{n}", partial.Content.Headers.ContentRange?.ToString());
            Assert.Equal(last - first + 1, partial.Content.Headers.ContentLength);
            Assert.Equal(bytes[first..(last + 1)], await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal("bytes", Assert.Single(partial.Headers.AcceptRanges));
            Assert.Equal("video/mp4", partial.Content.Headers.ContentType?.MediaType);
        }

        using var beyond = await GetRangeAsync(nurse, url, n, null); // bytes=N-
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal($"bytes */{n}", beyond.Content.Headers.ContentRange?.ToString());
        Assert.Empty(await beyond.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Playable_has_the_same_safe_headers_etag_and_audit_as_a_photo()
    {
        var (nurse, _, upload, _) = await ClipAsync();
        using var _ = nurse;
        var nurseId = await app.UserIdAsync("nurse");
        var patientId = await nurse.PatientIdAsync(Patient);
        var sha = await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId).Select(m => m.Sha256).SingleAsync());

        using var response = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/playable");
        using (var partial = await GetRangeAsync(nurse, $"/media/{upload.MediaFileId}/original", 0, 99))
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);

        await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("media-src 'self'", csp);
        Assert.Contains("sandbox", csp);
        Assert.Equal($"\"{sha}-playable\"", response.Headers.ETag?.Tag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.True(response.Headers.CacheControl?.Private);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("gait-playable.mp4", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        using var revisit = new HttpRequestMessage(HttpMethod.Get, $"/media/{upload.MediaFileId}/playable");
        revisit.Headers.IfNoneMatch.Add(response.Headers.ETag);
        using var notModified = await nurse.Http.SendAsync(revisit);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var reads = await ReadsAsync(upload.MediaFileId);
        Assert.Equal(["playable", "original", "playable:not_modified"], reads.Select(r => r.Details));
        Assert.All(reads, r => Assert.Equal((true, nurseId, patientId), (r.Success, r.UserId, r.PatientId)));
    }

    [Fact]
    public async Task Poster_and_thumbnail_are_jpegs_and_a_video_has_no_medium()
    {
        var (nurse, _, upload, _) = await ClipAsync();
        using var _ = nurse;

        foreach (var (variant, width, height) in new[] { ("large", 320u, 240u), ("thumbnail", 200u, 150u) })
        {
            using var response = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/{variant}");
            await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
            var info = new MagickImageInfo(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((MagickFormat.Jpeg, width, height), (info.Format, info.Width, info.Height));
        }
        using var medium = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/medium");
        Assert.Equal(HttpStatusCode.NotFound, medium.StatusCode);
    }

    [Fact]
    public async Task A_nurse_of_another_ward_gets_404_for_the_clip_and_its_files_and_the_denial_is_audited()
    {
        var (nurse, clipId, upload, _) = await ClipAsync();
        using var _ = nurse;
        using var other = await app.SignInAsync("nurse-2a");
        var otherId = await app.UserIdAsync("nurse-2a");

        foreach (var variant in new[] { "playable", "original", "large", "thumbnail" })
        {
            using var response = await other.Http.GetAsync($"/media/{upload.MediaFileId}/{variant}");
            Assert.Equal((variant, HttpStatusCode.NotFound), (variant, response.StatusCode));
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
        using (var ranged = await GetRangeAsync(other, $"/media/{upload.MediaFileId}/playable", 0, 99))
            Assert.Equal(HttpStatusCode.NotFound, ranged.StatusCode);
        using (var detail = await other.Http.GetAsync($"/api/videos/{clipId}"))
            Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);

        var denied = (await ReadsAsync(upload.MediaFileId)).Where(r => r.UserId == otherId).ToList();
        Assert.Equal(["playable:denied", "original:denied", "large:denied", "thumbnail:denied", "playable:denied"], denied.Select(r => r.Details));
        Assert.All(denied, r => Assert.False(r.Success));
    }

    [Fact]
    public async Task Caption_can_be_changed_and_deleting_the_clip_removes_its_files()
    {
        var (nurse, clipId, upload, _) = await ClipAsync("first caption");
        using var _ = nurse;
        var original = await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId).Select(m => m.FilePath).SingleAsync());
        Assert.True(File.Exists(app.FullPath(original)));

        using (var patch = await nurse.PatchJsonAsync($"/api/videos/{clipId}", new { caption = "Gait, after physio" }))
            await SignedInClient.ExpectAsync(patch, HttpStatusCode.NoContent);
        Assert.Equal("Gait, after physio", (await nurse.GetJsonAsync<JsonElement>($"/api/videos/{clipId}")).GetProperty("caption").GetString());

        using (var delete = await nurse.SendAsync(HttpMethod.Delete, $"/api/videos/{clipId}"))
            await SignedInClient.ExpectAsync(delete, HttpStatusCode.NoContent);

        using (var gone = await nurse.Http.GetAsync($"/api/videos/{clipId}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await app.PurgeDeletedAsync();
        Assert.False(await app.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == upload.MediaFileId)));
        Assert.DoesNotContain(app.StoredFiles(), f => f.Contains(upload.MediaFileId.ToString("D"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hevc_clip_is_converted_in_the_background_and_then_playable_as_h264_mp4()
    {
        using var nurse = await app.SignInAsync("nurse");
        var finished = new ConcurrentDictionary<Guid, MediaProcessingChanged>();
        using var changed = new SemaphoreSlim(0);
        using var subscription = app.Services.GetRequiredService<IMediaEventBus>().Subscribe<MediaProcessingChanged>(c =>
        {
            if (c.State is PlayableState.Ready or PlayableState.Failed)
            {
                finished[c.MediaFileId] = c;
                changed.Release();
            }
            return Task.CompletedTask;
        });

        var upload = await nurse.UploadVideoAsync(await TestClips.HevcMp4Async());
        var clipId = await nurse.CreateClipAsync(await nurse.PatientIdAsync(Patient), upload.UploadId, "Tremor");

        while (!finished.ContainsKey(upload.MediaFileId))
            Assert.True(await changed.WaitAsync(TimeSpan.FromSeconds(60)), "the transcode did not finish within 60 s");

        Assert.Equal(PlayableState.Ready, finished[upload.MediaFileId].State);
        var detail = await nurse.GetJsonAsync<JsonElement>($"/api/videos/{clipId}");
        Assert.Equal((int)PlayableState.Ready, detail.GetProperty("playableState").GetInt32());
        Assert.Equal("hevc", detail.GetProperty("videoCodec").GetString());

        using var playable = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/playable");
        await SignedInClient.ExpectAsync(playable, HttpStatusCode.OK);
        Assert.Equal("video/mp4", playable.Content.Headers.ContentType?.MediaType);
        var bytes = await playable.Content.ReadAsByteArrayAsync();
        Assert.NotEqual((await TestClips.HevcMp4Async()).Bytes(), bytes);
        var boxes = TestClips.TopLevelBoxes(bytes).Select(b => b.Type).ToList();
        Assert.Contains("moov", boxes);
        Assert.True(boxes.IndexOf("moov") < boxes.IndexOf("mdat"), $"faststart expected: {string.Join(", ", boxes)}");
        using (var range = await GetRangeAsync(nurse, $"/media/{upload.MediaFileId}/playable", 0, 99))
        {
            await SignedInClient.ExpectAsync(range, HttpStatusCode.PartialContent);
            Assert.Equal($"bytes 0-99/{bytes.Length}", range.Content.Headers.ContentRange?.ToString());
            Assert.Equal(bytes[..100], await range.Content.ReadAsByteArrayAsync());
        }

        // While a copy is being made (the worker never takes a Running row), only the original is served.
        await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PlayableState, PlayableState.Running).SetProperty(m => m.PlayableProgress, 42)));
        using (var notYet = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/playable"))
            Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
        using (var original = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/original"))
            await SignedInClient.ExpectAsync(original, HttpStatusCode.OK);
        var running = await nurse.GetJsonAsync<JsonElement>($"/api/videos/{clipId}");
        Assert.Equal(((int)PlayableState.Running, 42), (running.GetProperty("playableState").GetInt32(), running.GetProperty("playableProgress").GetInt32()));

        // Deleting the clip removes the playable copy with the original, poster and thumbnail.
        Assert.Equal(4, app.StoredFiles().Count(f => f.Contains(upload.MediaFileId.ToString("D"), StringComparison.Ordinal)));
        using (var delete = await nurse.SendAsync(HttpMethod.Delete, $"/api/videos/{clipId}"))
            await SignedInClient.ExpectAsync(delete, HttpStatusCode.NoContent);
        await app.PurgeDeletedAsync();
        Assert.DoesNotContain(app.StoredFiles(), f => f.Contains(upload.MediaFileId.ToString("D"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clip_over_two_minutes_is_refused_with_422_naming_the_limit_and_nothing_is_kept()
    {
        using var nurse = await app.SignInAsync("nurse");
        var before = await app.SnapshotAsync();

        using var response = await nurse.PostVideoUploadAsync(await TestClips.TooLongMp4Async());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("too_long", problem.Code);
        Assert.Contains("2:00", problem.Detail);
        Assert.Equal("The clip is 2:01 long: at most 2:00 is accepted.", problem.Detail);
        (await app.SnapshotAsync()).AssertSameAs(before);
        var nurseId = await app.UserIdAsync("nurse");
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a =>
            a.Action == AuditActions.MediaUpload && a.UserId == nurseId && !a.Success && a.Details == "too_long")));
    }

    [Fact]
    public async Task Health_is_healthy_with_ffmpeg_installed()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/health");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var ffmpeg = health.GetProperty("checks").GetProperty("ffmpeg");
        Assert.Equal("Healthy", ffmpeg.GetProperty("status").GetString());
        Assert.Contains("ffmpeg", ffmpeg.GetProperty("description").GetString());
    }
}
