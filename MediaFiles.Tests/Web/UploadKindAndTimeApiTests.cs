using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>
/// The API and the page follow one rule: the bytes decide photo or clip (the kind asked for is a hint),
/// and an event without a picked time takes the camera's time, else the time the file arrived.
/// </summary>
public sealed class UploadKindAndTimeApiTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    private const string Patient = "Helena Marsh";

    [Fact]
    public async Task A_photo_attached_without_a_time_takes_the_cameras_time()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync(Patient);

        var upload = await nurse.UploadAsync(TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 30, 0), "+02:00"), "old wound.jpg");
        var photoId = await nurse.CreatePhotoAsync(patient, upload.UploadId);

        Assert.Equal("photo", upload.Kind);
        Assert.Equal(new DateTime(2014, 5, 1, 7, 30, 0, DateTimeKind.Utc), upload.CapturedAt);
        var photo = await nurse.Http.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}");
        Assert.Equal(new DateTime(2014, 5, 1, 7, 30, 0, DateTimeKind.Utc), photo.GetProperty("eventDateTime").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task A_series_created_without_a_time_takes_its_earliest_photos_camera_time()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync(Patient);
        var ids = new List<Guid>();
        foreach (var day in new[] { 12, 10, 11 })
        {
            using var request = SignedInClient.UploadRequest(new ByteArrayContent(TestImages.JpegTakenAt(new DateTime(2018, 3, day, 8, 0, 0), "+00:00")),
                $"d{day}.jpg", "image/jpeg", nurse.Token, extraQuery: ["kind=series"]);
            using var response = await nurse.Http.SendAsync(request);
            await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
            ids.Add((await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!.UploadId);
        }

        using var created = await nurse.PostJsonAsync($"/api/patients/{patient}/series", new { uploadIds = ids, caption = "Dressing changes" });
        await SignedInClient.ExpectAsync(created, HttpStatusCode.Created);
        var seriesId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var when = await app.DbAsync(db => db.PhotoSeries.Where(s => s.Id == seriesId).Select(s => s.EventDateTime).SingleAsync());
        Assert.Equal(new DateTime(2018, 3, 10, 8, 0, 0, DateTimeKind.Utc), when);
    }

    [Fact]
    public async Task A_clip_sent_as_a_photo_is_stored_as_a_clip_and_dated_by_its_recording_time()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync(Patient);
        var dir = Directory.CreateTempSubdirectory("mediafiles-clip-").FullName;
        var path = Path.Combine(dir, "walk.mp4");
        await TestClips.FfmpegAsync("-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-metadata", "creation_time=2020-01-15T06:45:00Z", "-movflags", "+faststart", path);

        // What the page sends for every file in "Separate photos" mode: kind=photo.
        using var request = SignedInClient.UploadRequest(new ByteArrayContent(await File.ReadAllBytesAsync(path)), "walk.mp4", "video/mp4", nurse.Token,
            extraQuery: ["kind=photo"]);
        using var response = await nurse.Http.SendAsync(request);
        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var upload = (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
        var clipId = await nurse.CreateClipAsync(patient, upload.UploadId);

        Assert.Equal("video", upload.Kind);
        Assert.StartsWith("videos/", await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId).Select(m => m.FilePath).SingleAsync()));
        var when = await app.DbAsync(db => db.VideoClips.Where(c => c.Id == clipId).Select(c => c.EventDateTime).SingleAsync());
        Assert.Equal(new DateTime(2020, 1, 15, 6, 45, 0, DateTimeKind.Utc), when);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task A_clip_for_a_series_is_refused_with_what_to_do_and_leaves_nothing()
    {
        using var nurse = await app.SignInAsync("nurse");
        var clip = await TestClips.UniqueH264Mp4Async();
        var before = await app.DbAsync(db => db.MediaFiles.CountAsync());

        using var request = SignedInClient.UploadRequest(new ByteArrayContent(clip.Bytes()), clip.FileName, clip.MimeType, nurse.Token, extraQuery: ["kind=series"]);
        using var response = await nurse.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("This is an MP4 video, not a photo: a series holds photos only.", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await app.DbAsync(db => db.MediaFiles.CountAsync()));
    }

    [Fact]
    public async Task A_time_in_the_future_is_refused_with_a_message()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync(Patient);
        var upload = await nurse.UploadAsync(TestUploads.UniqueJpeg(), "now.jpg");

        using var response = await nurse.PostJsonAsync($"/api/patients/{patient}/photos", new { uploadId = upload.UploadId, eventDateTime = DateTime.UtcNow.AddDays(1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The event time is in the future: pick a time up to now.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
