using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ImageMagick;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Web;

/// <summary>POST /api/uploads: the streaming upload, end to end through the real app, database and media folder.</summary>
public sealed class UploadEndpointTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    [Fact]
    public async Task Upload_is_saved_with_the_original_and_three_variants_under_photos_year_month()
    {
        using var nurse = await app.SignInAsync("nurse");
        var bytes = TestUploads.UniqueJpeg(640, 480);

        using var response = await nurse.PostUploadAsync(bytes, "wound left leg.jpg");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var reply = (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("saved", reply.Outcome);
        Assert.Equal("wound left leg.jpg", reply.FileName);
        Assert.Equal(bytes.Length, reply.Size);
        Assert.Equal(640, reply.Width);
        Assert.Equal(480, reply.Height);
        Assert.Equal($"/media/{reply.MediaFileId}/original", response.Headers.Location?.OriginalString);

        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == reply.MediaFileId));
        var month = $"photos/{media.CreatedAt:yyyy}/{media.CreatedAt:MM}";
        Assert.Equal($"{month}/originals/{media.Id:D}.jpg", media.FilePath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), media.Sha256);
        Assert.Equal(1, media.ReferenceCount);
        Assert.Equal("image/jpeg", media.MimeType);
        Assert.Equal(await app.UserIdAsync("nurse"), media.StagedById);

        var staged = await app.DbAsync(db => db.StagedUploads.AsNoTracking().SingleAsync(s => s.Id == reply.UploadId));
        Assert.Equal(media.Id, staged.MediaFileId);
        Assert.False(staged.WasDuplicate);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(app.FullPath(media.FilePath)));
        var files = app.StoredFiles();
        foreach (var folder in new[] { "originals", "large", "medium", "thumbnails" })
            Assert.Contains($"{month}/{folder}/{media.Id:D}.jpg", files);
        var thumbnail = new MagickImageInfo(app.FullPath($"{month}/thumbnails/{media.Id:D}.jpg"));
        Assert.Equal((200u, 150u), (thumbnail.Width, thumbnail.Height));
        Assert.Empty(app.TempFiles());

        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.MediaFileId == media.Id && a.Action == AuditActions.MediaUpload).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.True(entry.Success);
        Assert.Equal("saved", entry.Details);
    }

    [Fact]
    public async Task Same_bytes_again_are_a_duplicate_of_the_same_media_file_with_no_second_copy()
    {
        using var nurse = await app.SignInAsync("nurse");
        var bytes = TestUploads.UniqueJpeg();
        var first = await nurse.UploadAsync(bytes, "first.jpg");
        var filesAfterFirst = app.StoredFiles();

        var second = await nurse.UploadAsync(bytes, "again.jpg");

        Assert.Equal("saved", first.Outcome);
        Assert.Equal("duplicate", second.Outcome);
        Assert.Equal(first.MediaFileId, second.MediaFileId);
        Assert.NotEqual(first.UploadId, second.UploadId);
        Assert.Equal(filesAfterFirst, app.StoredFiles());

        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == first.MediaFileId));
        Assert.Equal(2, media.ReferenceCount);
        var staged = await app.DbAsync(db => db.StagedUploads.AsNoTracking()
            .Where(s => s.MediaFileId == first.MediaFileId).OrderBy(s => s.WasDuplicate).ToListAsync());
        Assert.Equal([false, true], staged.Select(s => s.WasDuplicate));
        Assert.Equal(1, await app.DbAsync(db => db.MediaFiles.CountAsync(m => m.Sha256 == media.Sha256)));
    }

    [Fact]
    public async Task Gif_is_refused_with_422_and_leaves_no_row_and_no_file()
    {
        using var nurse = await app.SignInAsync("nurse");
        var before = await app.SnapshotAsync();

        using var response = await nurse.PostUploadAsync(TestImages.GifImage, "animation.gif", "image/gif");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("GIF is not accepted: save it as PNG or JPEG.", problem.Detail);
        Assert.Equal("type_not_accepted", problem.Code);
        (await app.SnapshotAsync()).AssertSameAs(before);
        Assert.Empty(app.TempFiles());

        var refusal = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.MediaUpload && !a.Success).OrderByDescending(a => a.Id).FirstAsync());
        Assert.Equal("type_not_accepted", refusal.Details);
        Assert.Null(refusal.MediaFileId);
    }

    [Fact]
    public async Task Png_named_jpg_is_refused_as_a_type_mismatch()
    {
        using var nurse = await app.SignInAsync("nurse");
        var before = await app.SnapshotAsync();

        using var response = await nurse.PostUploadAsync(TestUploads.UniquePng(), "renamed.jpg", "image/jpeg");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.UnprocessableEntity);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("type_mismatch", problem.Code);
        Assert.Equal("The file is a PNG image but is named .jpg: rename it to .png.", problem.Detail);
        (await app.SnapshotAsync()).AssertSameAs(before);
    }

    [Fact]
    public async Task Percent_encoded_file_name_is_decoded_and_kept_without_its_folder()
    {
        using var nurse = await app.SignInAsync("nurse");

        var reply = await nurse.UploadAsync(TestUploads.UniqueJpeg(), "C:\\Users\\nora\\Wunde Bein – Tag 3 ü.jpg");

        Assert.Equal("Wunde Bein – Tag 3 ü.jpg", reply.FileName);
        var stored = await app.DbAsync(db => db.MediaFiles.AsNoTracking().Where(m => m.Id == reply.MediaFileId)
            .Select(m => m.OriginalFilename).SingleAsync());
        Assert.Equal("Wunde Bein – Tag 3 ü.jpg", stored);
    }

    [Fact]
    public async Task Upload_without_a_name_or_declared_type_gets_a_name_from_its_content()
    {
        using var nurse = await app.SignInAsync("nurse");

        using var response = await nurse.PostUploadAsync(TestUploads.UniquePng(), "", contentType: null);

        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var reply = (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("upload.png", reply.FileName);
        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == reply.MediaFileId));
        Assert.Equal("image/png", media.MimeType);
        Assert.EndsWith($"/originals/{media.Id:D}.png", media.FilePath);
    }

    [Fact]
    public async Task Missing_antiforgery_token_is_refused_with_400_and_nothing_is_stored()
    {
        using var nurse = await app.SignInAsync("nurse");
        var before = await app.SnapshotAsync();

        using var response = await nurse.PostUploadAsync(TestUploads.UniqueJpeg(), "photo.jpg", withToken: false);

        await SignedInClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("Missing or invalid antiforgery token", problem.Title);
        (await app.SnapshotAsync()).AssertSameAs(before);
        Assert.Empty(app.TempFiles());
    }

    [Fact]
    public async Task Antiforgery_token_of_another_user_is_refused()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        var before = await app.SnapshotAsync();

        using var request = SignedInClient.UploadRequest(new ByteArrayContent(TestUploads.UniqueJpeg()), "photo.jpg", "image/jpeg", reviewer.Token);
        using var response = await nurse.Http.SendAsync(request);

        await SignedInClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        (await app.SnapshotAsync()).AssertSameAs(before);
    }

    [Fact]
    public async Task Upload_without_sign_in_is_401_and_nothing_is_stored()
    {
        using var http = app.CreateCookieClient();
        var token = await SignedInClient.FetchTokenAsync(http);
        var before = await app.SnapshotAsync();

        using var request = SignedInClient.UploadRequest(new ByteArrayContent(TestUploads.UniqueJpeg()), "photo.jpg", "image/jpeg", token);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        (await app.SnapshotAsync()).AssertSameAs(before);
    }

    [Fact]
    public async Task Reviewer_cannot_upload_403_and_nothing_is_stored()
    {
        using var reviewer = await app.SignInAsync("reviewer");
        var before = await app.SnapshotAsync();

        using var response = await reviewer.PostUploadAsync(TestUploads.UniqueJpeg(), "photo.jpg");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.Forbidden);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("Your role cannot upload media.", problem.Detail);
        (await app.SnapshotAsync()).AssertSameAs(before);
        Assert.Empty(app.TempFiles());
    }

    [Fact]
    public async Task Admin_uploads_like_ward_staff()
    {
        using var admin = await app.SignInAsync("admin");
        var adminId = await app.UserIdAsync("admin");

        using var response = await admin.PostUploadAsync(TestUploads.UniqueJpeg(), "by-admin.jpg");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var reply = (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
        Assert.Equal(("saved", "by-admin.jpg"), (reply.Outcome, reply.FileName));
        var staged = await app.DbAsync(db => db.StagedUploads.AsNoTracking().SingleAsync(s => s.Id == reply.UploadId));
        Assert.Equal((adminId, reply.MediaFileId), (staged.UploadedById, staged.MediaFileId));
        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == reply.MediaFileId));
        Assert.True(File.Exists(app.FullPath(media.FilePath)));
    }

    [Fact]
    public async Task Stages_are_published_on_the_bus_for_the_batch_and_key_of_the_upload()
    {
        using var nurse = await app.SignInAsync("nurse");
        var nurseId = await app.UserIdAsync("nurse");
        var batch = Guid.NewGuid();
        var seen = new ConcurrentQueue<UploadProgress>();
        var otherBatch = new ConcurrentQueue<UploadProgress>();
        var bus = app.Services.GetRequiredService<IMediaEventBus>();
        using var subscription = bus.Subscribe<UploadProgress>(p => { if (p.BatchId == batch) seen.Enqueue(p); return Task.CompletedTask; });
        var otherId = Guid.NewGuid();
        using var other = bus.Subscribe<UploadProgress>(p => { if (p.BatchId == otherId) otherBatch.Enqueue(p); return Task.CompletedTask; });

        using var response = await nurse.PostUploadAsync(TestUploads.UniqueJpeg(), "photo.jpg", batch: batch, key: "f-1");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var reply = (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
        // The stages are published while the server works; the outcome is the reply, not a message.
        Assert.Equal([UploadStage.Receiving, UploadStage.Checking, UploadStage.Variants], seen.Select(p => p.Stage));
        Assert.All(seen, p => Assert.Equal(("f-1", nurseId, batch, MediaKind.Image), (p.FileKey, p.UserId, p.BatchId, p.Kind)));
        Assert.Equal("saved", reply.Outcome);
        Assert.Empty(otherBatch);
    }

    [Fact]
    public async Task Refusal_is_the_reply_and_the_bus_saw_no_later_stage()
    {
        using var nurse = await app.SignInAsync("nurse");
        var batch = Guid.NewGuid();
        var seen = new ConcurrentQueue<UploadProgress>();
        using var subscription = app.Services.GetRequiredService<IMediaEventBus>()
            .Subscribe<UploadProgress>(p => { if (p.BatchId == batch) seen.Enqueue(p); return Task.CompletedTask; });

        using var response = await nurse.PostUploadAsync(TestImages.GifImage, "animation.gif", "image/gif", batch: batch, key: "f-2");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("GIF is not accepted: save it as PNG or JPEG.", problem.GetProperty("detail").GetString());
        // Refused from the header, before a stage began.
        Assert.Empty(seen);
    }
}

/// <summary>The size limit, with a small MaxBytes so an ordinary photo is over it.</summary>
public sealed class UploadSizeLimitTests : IAsyncLifetime
{
    private const int MaxBytes = 4096;
    private readonly MediaFilesWebFactory _app = MediaFilesWebFactory.With(new Dictionary<string, string?> { ["MediaFiles:Images:MaxBytes"] = MaxBytes.ToString() });

    public ValueTask InitializeAsync() => _app.InitializeAsync();
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Declared_oversize_body_is_refused_with_413_before_anything_is_stored()
    {
        using var nurse = await _app.SignInAsync("nurse");
        var bytes = TestUploads.UniqueJpeg(800, 600);
        Assert.True(bytes.Length > MaxBytes, $"the test image ({bytes.Length} bytes) must be over the limit");
        var before = await _app.SnapshotAsync();

        using var response = await nurse.PostUploadAsync(bytes, "big.jpg");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("too_large", problem.Code);
        Assert.Equal($"The file is {bytes.Length / 1024.0:0} KB: at most 4 KB is accepted for a photo.", problem.Detail);
        (await _app.SnapshotAsync()).AssertSameAs(before);
        Assert.Empty(_app.TempFiles());
    }

    [Fact]
    public async Task Oversize_body_without_a_length_is_cut_off_while_streaming_with_413()
    {
        using var nurse = await _app.SignInAsync("nurse");
        var bytes = TestUploads.UniqueJpeg(800, 600);
        var before = await _app.SnapshotAsync();

        using var request = SignedInClient.UploadRequest(new StreamContent(new TestUploads.UnknownLengthStream(bytes)), "big.jpg", "image/jpeg", nurse.Token);
        using var response = await nurse.Http.SendAsync(request);

        Assert.Null(request.Content!.Headers.ContentLength);
        await SignedInClient.ExpectAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("too_large", problem.Code);
        Assert.Equal("The file is larger than 4 KB, the most a photo may be.", problem.Detail);
        (await _app.SnapshotAsync()).AssertSameAs(before);
        Assert.Empty(_app.TempFiles());
    }

    [Fact]
    public async Task Body_within_the_limit_is_accepted()
    {
        using var nurse = await _app.SignInAsync("nurse");
        var bytes = TestUploads.UniqueJpeg(32, 24);
        Assert.True(bytes.Length <= MaxBytes, $"the test image ({bytes.Length} bytes) must be within the limit");

        var reply = await nurse.UploadAsync(bytes, "small.jpg");

        Assert.Equal("saved", reply.Outcome);
        Assert.Equal(bytes.Length, reply.Size);
    }
}
