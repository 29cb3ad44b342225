using MediaFiles.Core.Access;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Series;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Core;

/// <summary>
/// The event time of a new photo, series or clip is the Core's rule (EventRules.ForNewEvent): the
/// time picked, else the camera's, else the time the file arrived — never the time it was attached.
/// </summary>
public sealed class EventTimeRuleTests
{
    private const string Patient = "Helena Marsh";

    private static async Task<(CoreTestHost Host, CurrentUser Nurse, Guid Patient)> StartAsync()
    {
        var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "UTC" });
        return (host, await host.UserAsync("nurse"), await host.PatientIdAsync(Patient));
    }

    private static Task<Guid> PhotoAsync(CoreTestHost host, CurrentUser user, Guid patient, Guid uploadId, DateTime? picked = null) =>
        host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(user, patient, uploadId, "", picked));

    private static Task<DateTime> PhotoTimeAsync(CoreTestHost host, Guid id) =>
        host.DbAsync(db => db.Photos.Where(p => p.Id == id).Select(p => p.EventDateTime).SingleAsync());

    [Fact]
    public async Task A_photo_without_a_picked_time_takes_the_cameras_time_with_its_offset()
    {
        var (host, nurse, patient) = await StartAsync();
        await using var _ = host;
        var upload = await host.IngestAsync(TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 30, 0), "+02:00"), "old.jpg", "image/jpeg", nurse.Id);

        var id = await PhotoAsync(host, nurse, patient, upload.UploadId);

        Assert.Equal(new DateTime(2014, 5, 1, 7, 30, 0, DateTimeKind.Utc), upload.CapturedAt);
        Assert.Equal(new DateTime(2014, 5, 1, 7, 30, 0, DateTimeKind.Utc), await PhotoTimeAsync(host, id));
    }

    [Fact]
    public async Task A_camera_time_without_an_offset_is_read_in_the_wards_zone()
    {
        await using var host = await CoreTestHost.CreateAsync(new Dictionary<string, string?> { ["MediaFiles:TimeZone"] = "Europe/Lisbon" });
        var nurse = await host.UserAsync("nurse");

        // 1 July: Lisbon is on summer time, UTC+1.
        var upload = await host.IngestAsync(TestImages.JpegTakenAt(new DateTime(2020, 7, 1, 12, 0, 0)), "no-offset.jpg", "image/jpeg", nurse.Id);

        Assert.Equal(new DateTime(2020, 7, 1, 11, 0, 0, DateTimeKind.Utc), upload.CapturedAt);
    }

    [Fact]
    public async Task Without_a_camera_time_a_photo_is_dated_when_it_arrived_not_when_it_was_attached()
    {
        var (host, nurse, patient) = await StartAsync();
        await using var _ = host;
        var arrived = host.Clock.UtcNow;
        var upload = await host.IngestAsync(TestUploads.UniqueJpeg(), "plain.jpg", "image/jpeg", nurse.Id);
        host.Clock.Advance(TimeSpan.FromMinutes(25));

        var id = await PhotoAsync(host, nurse, patient, upload.UploadId);

        Assert.Null(upload.CapturedAt);
        Assert.Equal(arrived, await PhotoTimeAsync(host, id));
    }

    [Fact]
    public async Task A_camera_clock_ahead_of_now_is_not_believed()
    {
        var (host, nurse, patient) = await StartAsync();
        await using var _ = host;
        var arrived = host.Clock.UtcNow;
        var upload = await host.IngestAsync(TestImages.JpegTakenAt(arrived.AddDays(3), "+00:00"), "ahead.jpg", "image/jpeg", nurse.Id);

        var id = await PhotoAsync(host, nurse, patient, upload.UploadId);

        Assert.Equal(arrived, await PhotoTimeAsync(host, id));
    }

    [Fact]
    public async Task A_picked_time_wins_over_the_camera_and_one_in_the_future_is_refused_with_a_message()
    {
        var (host, nurse, patient) = await StartAsync();
        await using var _ = host;
        var upload = await host.IngestAsync(TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 30, 0), "+02:00"), "old.jpg", "image/jpeg", nurse.Id);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => PhotoAsync(host, nurse, patient, upload.UploadId, host.Clock.UtcNow.AddHours(1)));
        Assert.Equal("The event time is in the future: pick a time up to now.", refused.Message);
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)), "the upload is still staged");

        var picked = host.Clock.UtcNow.AddDays(-1);
        var id = await PhotoAsync(host, nurse, patient, upload.UploadId, picked);
        Assert.Equal(picked, await PhotoTimeAsync(host, id));
    }

    [Fact]
    public async Task A_series_without_a_picked_time_takes_its_earliest_photos_camera_time()
    {
        var (host, nurse, patient) = await StartAsync();
        await using var _ = host;
        var ids = new List<Guid>();
        foreach (var (day, hour) in new[] { (3, 10), (1, 16), (2, 8) })
        {
            await using var body = new MemoryStream(TestImages.JpegTakenAt(new DateTime(2019, 2, day, hour, 0, 0), "+00:00"));
            var staged = await host.WithAsync<MediaIngest, IngestResult>(p => p.IngestAsync(body,
                new IngestRequest(nurse.Id, $"s{day}.jpg", "image/jpeg", MediaCategory.PhotoSeries), null, CancellationToken.None));
            ids.Add(staged.UploadId);
        }
        // One without a camera time does not make the series "now".
        ids.Add((await host.IngestAsync(TestUploads.UniqueJpeg(), "plain.jpg", "image/jpeg", nurse.Id)).UploadId);

        var seriesId = await host.WithAsync<PhotoSeriesService, Guid>(s => s.CreateAsync(nurse, patient, ids, "", null));

        var when = await host.DbAsync(db => db.PhotoSeries.Where(s => s.Id == seriesId).Select(s => s.EventDateTime).SingleAsync());
        Assert.Equal(new DateTime(2019, 2, 1, 16, 0, 0, DateTimeKind.Utc), when);
    }

    [Fact]
    public async Task A_clip_takes_its_recording_time_apples_tag_first()
    {
        var (host, nurse, patient) = await StartAsync();
        await using var _ = host;
        var path = Path.Combine(host.Directory, "recorded.mov");
        await TestClips.FfmpegAsync("-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-movflags", "use_metadata_tags",
            "-metadata", "com.apple.quicktime.creationdate=2019-07-04T12:00:00+0200", "-metadata", "creation_time=2019-07-04T10:30:00Z", path);

        var upload = await host.IngestVideoAsync(new TestClip(path, "IMG_0042.MOV", "video/quicktime"), nurse.Id);
        var clipId = await host.WithAsync<VideoClipService, Guid>(s => s.CreateAsync(nurse, patient, upload.UploadId, "", null));

        Assert.Equal(MediaKind.Video, upload.Kind);
        var when = await host.DbAsync(db => db.VideoClips.Where(c => c.Id == clipId).Select(c => c.EventDateTime).SingleAsync());
        Assert.Equal(new DateTime(2019, 7, 4, 10, 0, 0, DateTimeKind.Utc), when);
    }

    [Theory]
    [InlineData("creation_time", "2019-07-04T10:30:00.000000Z", "2019-07-04T10:30:00Z")]
    [InlineData("com.apple.quicktime.creationdate", "2021-12-24T18:05:09-0500", "2021-12-24T23:05:09Z")]
    [InlineData("com.apple.quicktime.creationdate", "2021-12-24T18:05:09+01:00", "2021-12-24T17:05:09Z")]
    [InlineData("creation_time", "1970-01-01T00:00:00.000000Z", null)]
    [InlineData("creation_time", "not a date", null)]
    public void Clip_creation_time_is_read_from_its_tags(string key, string value, string? expectedUtc)
    {
        var parsed = VideoInspector.CreationTime(new Dictionary<string, string> { [key] = value });

        Assert.Equal(expectedUtc is null ? null : DateTime.Parse(expectedUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal), parsed);
    }
}
