using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using MediaFiles.Core.Events;
using MediaFiles.Core;
using MediaFiles.Core.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Components.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Components;

/// <summary>
/// The drop zone driven through its public [JSInvokable] methods (what upload.js calls) and the
/// media event bus, over the real Core.
/// </summary>
public sealed class MediaDropZoneTests : ComponentTestContext
{
    private const long MB = 1024 * 1024;

    private BunitJSModuleInterop _module = null!;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public MediaDropZoneTests()
    {
        // The ward clock is UTC here, so a picked time reads back as it was entered.
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton(new WardClock(Microsoft.Extensions.Options.Options.Create(new MediaFiles.Core.MediaFilesOptions { TimeZone = "UTC" }), _clock));
    }
    private Guid _patientId;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _module = JSInterop.SetupModule("./js/upload.js");
        _patientId = await PatientIdAsync("Helena Marsh");
    }

    private IRenderedComponent<MediaDropZone> RenderZone() => Render<MediaDropZone>(p => p.Add(z => z.PatientId, _patientId));

    /// <summary>The options the component gave upload.js's attach(); the batch id is in its url.</summary>
    private (string Url, string TokenHeader, string Token, int Parallel) AttachOptions(IRenderedComponent<MediaDropZone> cut)
    {
        JSRuntimeInvocation attach = default;
        cut.WaitForAssertion(() => attach = Assert.Single(_module.Invocations["attach"]), Wait);
        var options = attach.Arguments[3]!;
        T Get<T>(string name) => (T)options.GetType().GetProperty(name)!.GetValue(options)!;
        return (Get<string>("url"), Get<string>("tokenHeader"), Get<string>("token"), Get<int>("parallel"));
    }

    /// <summary>The component's batch id, read from the upload url it gave upload.js.</summary>
    private Guid BatchId(IRenderedComponent<MediaDropZone> cut)
    {
        var url = AttachOptions(cut).Url;
        Assert.StartsWith("/api/uploads?", url);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[url.IndexOf('?')..]);
        return Guid.Parse(query["batch"].ToString());
    }

    private static IElement Item(IRenderedComponent<MediaDropZone> cut, string fileName) =>
        cut.FindAll("[data-testid=upload-item]").Single(i => i.QuerySelector(".upload-name")?.TextContent.Trim() == fileName);

    private static string State(IRenderedComponent<MediaDropZone> cut, string fileName) => Item(cut, fileName).GetAttribute("data-state")!;

    private static string StateText(IRenderedComponent<MediaDropZone> cut, string fileName) =>
        Item(cut, fileName).QuerySelector("[data-testid=upload-state]")!.TextContent.Trim();

    private static string? Message(IRenderedComponent<MediaDropZone> cut, string fileName) =>
        Item(cut, fileName).QuerySelector("[data-testid=upload-message]")?.TextContent.Trim();

    private static Task<string[]> AddFilesAsync(IRenderedComponent<MediaDropZone> cut, params BrowserFile[] files) =>
        cut.InvokeAsync(() => cut.Instance.FilesAdded(files));

    private static BrowserFile File(string key, string name, long size) => new(key, name, size, "image/jpeg");

    /// <summary>The 201 body of POST /api/uploads, as upload.js hands it over (camelCase JSON).</summary>
    private static string Reply(IngestResult result) => JsonSerializer.Serialize(new
    {
        uploadId = result.UploadId,
        mediaFileId = result.MediaFileId,
        outcome = result.Outcome == IngestOutcome.Duplicate ? "duplicate" : "saved",
        kind = result.Kind == MediaKind.Video ? "video" : "photo",
        fileName = result.FileName,
        size = result.Size,
        width = result.Width,
        height = result.Height,
        capturedAt = result.CapturedAt,
    });

    [Fact]
    public void Attaches_upload_js_with_the_batch_url_the_token_and_the_parallel_limit()
    {
        var cut = RenderZone();

        var options = AttachOptions(cut);

        Assert.NotEqual(Guid.Empty, BatchId(cut));
        Assert.Equal("RequestVerificationToken", options.TokenHeader);
        Assert.Equal(AntiforgeryTokenValue, options.Token);
        Assert.Equal(3, options.Parallel);
        Assert.Contains("photos up to 25 MB", cut.Find("[data-testid=drop-target]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=upload-item]"));
    }

    [Fact]
    public async Task Oversized_file_is_refused_at_once_with_the_size_message_and_its_key_is_not_returned()
    {
        var cut = RenderZone();

        var keys = await AddFilesAsync(cut, File("k-big", "huge.jpg", 30 * MB), File("k-ok", "fine.jpg", 2 * MB));

        Assert.Equal(["k-ok"], keys);
        Assert.Equal("refused", State(cut, "huge.jpg"));
        Assert.Equal("Refused", StateText(cut, "huge.jpg"));
        Assert.Equal("The file is 30 MB: at most 25 MB is accepted for a photo.", Message(cut, "huge.jpg"));
        Assert.Equal("waiting", State(cut, "fine.jpg"));
        Assert.Equal("Waiting", StateText(cut, "fine.jpg"));
        Assert.Null(Message(cut, "fine.jpg"));
        Assert.Contains("1 in progress · 1 refused", cut.Markup);
    }

    [Fact]
    public async Task File_exactly_at_the_limit_is_accepted()
    {
        var cut = RenderZone();

        var keys = await AddFilesAsync(cut, File("k-edge", "edge.jpg", 25 * MB));

        Assert.Equal(["k-edge"], keys);
        Assert.Equal("waiting", State(cut, "edge.jpg"));
    }

    [Fact]
    public async Task Browser_progress_and_server_stages_on_the_bus_advance_the_item()
    {
        var cut = RenderZone();
        var batch = BatchId(cut);
        await AddFilesAsync(cut, File("k1", "leg.jpg", 1000));

        await cut.InvokeAsync(() => cut.Instance.Started("k1"));
        Assert.Equal("Uploading 0 %", StateText(cut, "leg.jpg"));

        await cut.InvokeAsync(() => cut.Instance.Progress("k1", 500));
        Assert.Equal("uploading", State(cut, "leg.jpg"));
        Assert.Equal("Uploading 50 %", StateText(cut, "leg.jpg"));
        Assert.Equal("50", cut.Find("[data-testid=upload-item] .mud-progress-linear").GetAttribute("aria-valuenow"));

        Bus.Publish(new UploadProgress(batch, "k1", User.Id, UploadStage.Checking, MediaKind.Image));
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("checking", State(cut, "leg.jpg"));
            Assert.Equal("Checking", StateText(cut, "leg.jpg"));
        }, Wait);

        Bus.Publish(new UploadProgress(batch, "k1", User.Id, UploadStage.Variants, MediaKind.Image));
        cut.WaitForAssertion(() => Assert.Equal("Making sizes", StateText(cut, "leg.jpg")), Wait);

        // A late browser progress report never moves the item back.
        await cut.InvokeAsync(() => cut.Instance.Progress("k1", 1000));
        Assert.Equal("Making sizes", StateText(cut, "leg.jpg"));
    }

    [Fact]
    public async Task Stages_of_another_user_on_the_same_batch_are_ignored()
    {
        var cut = RenderZone();
        var batch = BatchId(cut);
        await AddFilesAsync(cut, File("k1", "leg.jpg", 1000));
        var otherUser = await DbAsync(db => db.Users.Where(u => u.Subject == "reviewer").Select(u => u.Id).SingleAsync());

        Bus.Publish(new UploadProgress(batch, "k1", otherUser, UploadStage.Variants, MediaKind.Image));
        Bus.Publish(new UploadProgress(batch, "k1", User.Id, UploadStage.Checking, MediaKind.Image));

        // Had the other user's "Variants" been taken, the item could not go back to "Checking".
        cut.WaitForAssertion(() => Assert.Equal("Checking", StateText(cut, "leg.jpg")), Wait);
    }

    [Fact]
    public async Task Completed_201_attaches_the_staged_upload_as_a_photo_of_the_patient()
    {
        var bytes = TestUploads.UniqueJpeg(320, 240);
        var staged = await StageAsync(bytes, "heel.jpg");
        var cut = RenderZone();
        cut.Find("input[data-testid=upload-description]").Input("Left heel, day 3");
        await AddFilesAsync(cut, File("k1", "heel.jpg", bytes.Length));
        await cut.InvokeAsync(() => cut.Instance.Started("k1"));

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(staged)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("added", State(cut, "heel.jpg"));
            Assert.Equal("Added", StateText(cut, "heel.jpg"));
        }, Wait);
        Assert.Equal($"/media/{staged.MediaFileId}/thumbnail", Item(cut, "heel.jpg").QuerySelector("img.upload-thumb")?.GetAttribute("src"));
        Assert.Contains("1 added", cut.Markup);

        var photo = await DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.MediaFileId == staged.MediaFileId));
        Assert.Equal(_patientId, photo.PatientId);
        Assert.Equal(User.Id, photo.CreatedById);
        Assert.Equal("Left heel, day 3", photo.Description);
        Assert.InRange(photo.EventDateTime, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1));
        Assert.False(await DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == staged.UploadId)));
    }

    [Fact]
    public async Task Completed_201_takes_the_cameras_time_when_the_user_picked_none()
    {
        var staged = await StageAsync(TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 30, 0), "+02:00"), "camera.jpg");
        var cut = RenderZone();
        await AddFilesAsync(cut, File("k1", "camera.jpg", staged.Size));

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(staged)));

        cut.WaitForAssertion(() => Assert.Equal("added", State(cut, "camera.jpg")), Wait);
        var photo = await DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.MediaFileId == staged.MediaFileId));
        Assert.Equal(new DateTime(2014, 5, 1, 7, 30, 0, DateTimeKind.Utc), photo.EventDateTime);
    }

    [Fact]
    public async Task Completed_201_does_not_believe_a_camera_time_in_the_future()
    {
        var staged = await StageAsync(TestImages.JpegTakenAt(_clock.GetUtcNow().UtcDateTime.AddDays(2), "+00:00"), "ahead.jpg");
        var cut = RenderZone();
        await AddFilesAsync(cut, File("k1", "ahead.jpg", staged.Size));

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(staged)));

        cut.WaitForAssertion(() => Assert.Equal("added", State(cut, "ahead.jpg")), Wait);
        var photo = await DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.MediaFileId == staged.MediaFileId));
        // Not the camera's: the time the file arrived.
        Assert.Equal(await DbAsync(db => db.MediaFiles.Where(m => m.Id == staged.MediaFileId).Select(m => m.CreatedAt).SingleAsync()), photo.EventDateTime);
    }

    [Fact]
    public async Task After_clear_list_and_a_clock_that_moved_on_the_next_photo_keeps_its_camera_time()
    {
        var cut = RenderZone();
        var first = await StageAsync(TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 30, 0), "+02:00"), "first.jpg");
        await AddFilesAsync(cut, File("k1", "first.jpg", first.Size));
        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(first)));
        cut.WaitForAssertion(() => Assert.Equal("added", State(cut, "first.jpg")), Wait);

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Clear list").Click();
        _clock.Advance(TimeSpan.FromMinutes(7));
        var second = await StageAsync(TestImages.JpegTakenAt(new DateTime(2014, 5, 2, 16, 5, 0), "+02:00"), "second.jpg");
        await AddFilesAsync(cut, File("k2", "second.jpg", second.Size));
        await cut.InvokeAsync(() => cut.Instance.Completed("k2", 201, Reply(second)));

        cut.WaitForAssertion(() => Assert.Equal("added", State(cut, "second.jpg")), Wait);
        var photo = await DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.MediaFileId == second.MediaFileId));
        Assert.Equal(new DateTime(2014, 5, 2, 14, 5, 0, DateTimeKind.Utc), photo.EventDateTime);
        Assert.Empty(cut.FindAll("[data-testid=time-date]"));
    }

    [Fact]
    public async Task A_time_the_user_picked_applies_until_switched_off()
    {
        var cut = RenderZone();
        cut.Find("[data-testid=event-time] input[type=checkbox]").Change(true);
        var staged = await StageAsync(TestImages.JpegTakenAt(new DateTime(2014, 5, 1, 9, 30, 0), "+02:00"), "picked.jpg");
        await AddFilesAsync(cut, File("k1", "picked.jpg", staged.Size));

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(staged)));

        cut.WaitForAssertion(() => Assert.Equal("added", State(cut, "picked.jpg")), Wait);
        var photo = await DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.MediaFileId == staged.MediaFileId));
        // Switched on, the picker starts at now to the minute: not the camera's 2014.
        var now = _clock.GetUtcNow().UtcDateTime;
        Assert.Equal(new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc), photo.EventDateTime);
    }

    [Fact]
    public async Task Completed_201_for_a_duplicate_says_no_second_copy_was_kept()
    {
        var bytes = TestUploads.UniqueJpeg(320, 240);
        await StageAsync(bytes, "first.jpg");
        var again = await StageAsync(bytes, "again.jpg");
        Assert.Equal(IngestOutcome.Duplicate, again.Outcome);
        var cut = RenderZone();
        await AddFilesAsync(cut, File("k1", "again.jpg", bytes.Length));

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(again)));

        cut.WaitForAssertion(() => Assert.Equal("Added · already stored, no second copy kept", StateText(cut, "again.jpg")), Wait);
        Assert.True(await DbAsync(db => db.Photos.AnyAsync(p => p.MediaFileId == again.MediaFileId && p.PatientId == _patientId)));
    }

    [Fact]
    public async Task Completed_201_for_an_upload_that_is_gone_fails_with_the_reason()
    {
        var cut = RenderZone();
        await AddFilesAsync(cut, File("k1", "late.jpg", 1000));
        var expired = new IngestResult(IngestOutcome.Saved, Guid.NewGuid(), Guid.NewGuid(), "late.jpg", 1000, 10, 10);

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(expired)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("failed", State(cut, "late.jpg"));
            Assert.Contains("no longer waiting to be attached", Message(cut, "late.jpg"));
        }, Wait);
        Assert.Equal(0, await DbAsync(db => db.Photos.CountAsync()));
    }

    [Fact]
    public async Task Completed_422_shows_the_problem_detail_and_adds_nothing()
    {
        var cut = RenderZone();
        await AddFilesAsync(cut, File("k1", "anim.gif", 1000));
        var problem = JsonSerializer.Serialize(new
        {
            type = "https://tools.ietf.org/html/rfc4918#section-11.2",
            title = "File refused",
            status = 422,
            detail = "GIF is not accepted: JPEG, PNG or WebP.",
            code = "type_not_accepted",
        });

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 422, problem));

        Assert.Equal("refused", State(cut, "anim.gif"));
        Assert.Equal("GIF is not accepted: JPEG, PNG or WebP.", Message(cut, "anim.gif"));
        Assert.Equal(0, await DbAsync(db => db.Photos.CountAsync()));
        Assert.Contains("Clear list", cut.Markup);
    }

    [Theory]
    [InlineData(401, "{}", "failed", "Your sign-in has expired: reload the page and sign in again.")]
    [InlineData(500, "<html>oops</html>", "refused", "The server could not take the file (HTTP 500). Try again.")]
    [InlineData(400, "{\"title\":\"Missing or invalid antiforgery token\"}", "refused", "The server could not take the file (HTTP 400). Try again.")]
    public async Task Other_replies_show_a_message_the_user_can_act_on(int status, string body, string state, string message)
    {
        var cut = RenderZone();
        await AddFilesAsync(cut, File("k1", "photo.jpg", 1000));

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", status, body));

        Assert.Equal(state, State(cut, "photo.jpg"));
        Assert.Equal(message, Message(cut, "photo.jpg"));
    }

    [Fact]
    public async Task Browser_failure_marks_the_item_failed_and_clear_list_removes_finished_items()
    {
        var cut = RenderZone();
        await AddFilesAsync(cut, File("k1", "a.jpg", 1000), File("k2", "b.jpg", 40 * MB));

        await cut.InvokeAsync(() => cut.Instance.Failed("k1", "The connection was lost."));

        Assert.Equal("failed", State(cut, "a.jpg"));
        Assert.Equal("The connection was lost.", Message(cut, "a.jpg"));
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Clear list").Click();
        Assert.Empty(cut.FindAll("[data-testid=upload-item]"));
    }

    [Fact]
    public async Task A_series_is_made_in_the_order_the_list_shows_after_moving_a_file_and_the_mode_switch_says_why_it_is_locked()
    {
        var cut = RenderZone();
        cut.Find("[data-testid=upload-mode]").QuerySelectorAll("button").Single(b => b.TextContent.Contains("One series")).Click();
        var first = await StageAsync(TestUploads.UniqueJpeg(160, 120), "first.jpg");
        var second = await StageAsync(TestUploads.UniqueJpeg(160, 120), "second.jpg");
        await AddFilesAsync(cut, File("k1", "first.jpg", first.Size), File("k2", "second.jpg", second.Size));

        Assert.Equal(["first.jpg", "second.jpg"], cut.FindAll("[data-testid=upload-item] .upload-name").Select(n => n.TextContent.Trim()));
        Assert.Equal("Finish or clear the list to switch", cut.Find("[data-testid=mode-locked]").TextContent.Trim());
        cut.FindAll("[data-testid=upload-later]")[0].Click();
        Assert.Equal(["second.jpg", "first.jpg"], cut.FindAll("[data-testid=upload-item] .upload-name").Select(n => n.TextContent.Trim()));

        await cut.InvokeAsync(() => cut.Instance.Completed("k1", 201, Reply(first)));
        await cut.InvokeAsync(() => cut.Instance.Completed("k2", 201, Reply(second)));
        cut.Find("[data-testid=create-series]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=upload-item][data-state=added]").Count), Wait);
        var order = await DbAsync(db => db.PhotoSeriesFiles.OrderBy(f => f.OrderIndex).Select(f => f.MediaFileId).ToListAsync());
        Assert.Equal([second.MediaFileId, first.MediaFileId], order);
        Assert.Equal("Clear the list to switch", cut.Find("[data-testid=mode-locked]").TextContent.Trim());
    }
}
