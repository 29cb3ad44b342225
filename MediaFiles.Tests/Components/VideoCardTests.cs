using Bunit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;
using MediaFiles.Core.Video;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Components.Media;
using MediaFiles.Core.Timeline;
using MediaFiles.Core;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Components;

/// <summary>The video card (PhotoCard with a VideoClip item): duration badge, processing state, play; and its live update on the timeline.</summary>
public sealed class VideoCardTests : ComponentTestContext
{
    private static readonly DateTime At = new(2026, 3, 15, 9, 30, 0, DateTimeKind.Utc);

    private static TimelineItem Clip(double? seconds = 65, PlayableState state = PlayableState.Original, int progress = 0, string caption = "Gait") =>
        new(Guid.NewGuid(), EventType.VideoClip, At, caption, Guid.NewGuid(), "Nora Lindqvist", At,
            Guid.NewGuid(), 320, 240, 123_456, "gait.mp4")
        {
            DurationSeconds = seconds,
            PlayableState = state,
            PlayableProgress = progress,
        };

    private IRenderedComponent<PhotoCard> RenderCard(TimelineItem item) =>
        Render<PhotoCard>(p => p.Add(c => c.Item, item));

    [Theory]
    [InlineData(65, "1:05")]
    [InlineData(5.04, "0:05")]
    [InlineData(120, "2:00")]
    [InlineData(0.4, "0:00")]
    public void Shows_the_length_as_minutes_and_seconds(double seconds, string expected)
    {
        var item = Clip(seconds);

        var cut = RenderCard(item);

        var card = cut.Find("[data-testid=video-card]");
        Assert.Equal(expected, cut.Find("[data-testid=video-duration]").TextContent.Trim());
        Assert.Equal($"/videos/{item.EventId}", card.GetAttribute("href"));
        Assert.Equal($"/media/{item.MediaFileId}/thumbnail", cut.Find("[data-testid=photo-thumbnail]").GetAttribute("src"));
        Assert.StartsWith("Video clip from ", card.GetAttribute("aria-label"));
        Assert.Empty(cut.FindAll("[data-testid=photo-card]"));
    }

    [Fact]
    public void A_running_transcode_shows_its_percent()
    {
        var cut = RenderCard(Clip(state: PlayableState.Running, progress: 42));

        Assert.Equal("Processing 42%", cut.Find("[data-testid=video-state]").TextContent.Trim());
    }

    [Fact]
    public void A_queued_clip_shows_processing_without_a_percent()
    {
        var cut = RenderCard(Clip(state: PlayableState.Queued, progress: 0));

        var state = cut.Find("[data-testid=video-state]").TextContent.Trim();
        Assert.StartsWith("Processing", state);
        Assert.DoesNotContain("%", state);
    }

    [Fact]
    public void A_failed_transcode_says_it_cannot_play_in_the_browser()
    {
        var cut = RenderCard(Clip(state: PlayableState.Failed));

        var state = cut.Find("[data-testid=video-state]");
        Assert.Equal("Cannot play in the browser", state.TextContent.Trim());
        Assert.Contains("video-card-state--failed", state.ClassList);
    }

    [Theory]
    [InlineData(PlayableState.Original)]
    [InlineData(PlayableState.Ready)]
    public void A_clip_that_plays_has_no_state_badge(PlayableState playable)
    {
        var cut = RenderCard(Clip(state: playable, progress: playable == PlayableState.Ready ? 100 : 0));

        Assert.Empty(cut.FindAll("[data-testid=video-state]"));
        Assert.Single(cut.FindAll("[data-testid=video-duration]"));
        Assert.DoesNotContain("Processing", cut.Markup);
    }

    [Fact]
    public void A_clip_card_is_a_plain_link_to_the_clips_page_so_ctrl_click_and_Enter_work()
    {
        var item = Clip();

        var cut = RenderCard(item);

        var card = cut.Find("[data-testid=video-card]");
        Assert.Equal("A", card.TagName);
        Assert.Equal($"/videos/{item.EventId}", card.GetAttribute("href"));
        // No click handler of its own (and so no preventDefault): the browser follows the link.
        Assert.DoesNotContain("blazor:onclick", cut.Markup);
    }

    [Fact]
    public void A_photo_card_has_no_video_badges_and_links_to_the_photo()
    {
        var photo = Clip() with { Type = EventType.Photo };

        var cut = RenderCard(photo);

        Assert.Empty(cut.FindAll("[data-testid=video-duration]"));
        Assert.Empty(cut.FindAll("[data-testid=video-state]"));
        Assert.Equal($"/photos/{photo.EventId}", cut.Find("[data-testid=photo-card]").GetAttribute("href"));
    }

    [Fact]
    public void A_card_says_when_it_was_taken_and_when_added_only_if_that_is_minutes_apart()
    {
        var clock = Services.GetRequiredService<WardClock>();
        var photo = Clip() with { Type = EventType.Photo, EventDateTime = At, CreatedAt = At.AddMinutes(3) };
        var late = photo with { EventId = Guid.NewGuid(), CreatedAt = At.AddDays(2).AddHours(4).AddMinutes(32) };

        var same = RenderCard(photo).Find("[data-testid=card-when]").TextContent.Trim();
        var apart = RenderCard(late).Find("[data-testid=card-when]").TextContent.Trim();
        var clip = RenderCard(Clip()).Find("[data-testid=card-when]").TextContent.Trim();

        Assert.Equal($"Taken {clock.ToLocal(At):HH:mm} · Nora Lindqvist", same);
        Assert.Equal($"Taken {clock.ToLocal(At):HH:mm} · added {clock.ToLocal(late.CreatedAt):d MMM HH:mm} · Nora Lindqvist", apart);
        Assert.StartsWith("Recorded ", clip);
    }

    [Fact]
    public async Task The_quick_player_leads_to_the_clips_page()
    {
        var item = Clip();
        var dialogs = Render<MudBlazor.MudDialogProvider>();

        await dialogs.InvokeAsync(() => Services.GetRequiredService<MudBlazor.IDialogService>().ShowAsync<VideoPlayerDialog>("Gait",
            new MudBlazor.DialogParameters<VideoPlayerDialog> { { d => d.Item, item } }));

        dialogs.WaitForAssertion(() => Assert.Equal($"/videos/{item.EventId}", dialogs.Find("[data-testid=open-clip-page]").GetAttribute("href")), Wait);
        Assert.Equal("Open clip page", dialogs.Find("[data-testid=open-clip-page]").TextContent.Trim());
    }

    // ---------------------------------------------------------------- on the timeline

    private async Task<(Guid ClipId, Guid MediaFileId)> AddClipAsync(Guid patientId, TestClip clip, DateTime eventUtc, string caption)
    {
        await using var body = clip.OpenRead();
        var upload = await WithAsync<MediaIngest, IngestResult>(p => p.IngestAsync(body,
            new IngestRequest(User.Id, clip.FileName, clip.MimeType, MediaCategory.Videos), null, CancellationToken.None));
        var id = await WithAsync<VideoClipService, Guid>(s => s.CreateAsync(User, patientId, upload.UploadId, caption, eventUtc));
        return (id, upload.MediaFileId);
    }

    private static string? StateOf(IRenderedComponent<Timeline> cut, Guid clipId) =>
        cut.Find($"[data-testid=video-card][href='/videos/{clipId}']").QuerySelector("[data-testid=video-state]")?.TextContent.Trim();

    [Fact]
    public async Task Timeline_updates_a_clip_card_in_place_when_its_processing_changes()
    {
        var patientId = await PatientIdAsync("Helena Marsh");
        var now = DateTime.UtcNow;
        var (queuedClip, queuedMedia) = await AddClipAsync(patientId, await TestClips.HevcMp4Async(), now.AddMinutes(-5), "Tremor");
        var (plainClip, plainMedia) = await AddClipAsync(patientId, await TestClips.H264Mp4Async(), now.AddMinutes(-10), "Gait");

        var cut = Render<Timeline>(p => p.Add(t => t.PatientId, patientId));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=video-card]").Count), Wait);
        Assert.Equal("Processing …", StateOf(cut, queuedClip));
        Assert.Null(StateOf(cut, plainClip));
        Assert.Equal(["0:03", "0:05"], cut.FindAll("[data-testid=video-duration]").Select(d => d.TextContent.Trim()));

        // Another clip's progress does not touch these cards.
        Bus.Publish(new MediaProcessingChanged(Guid.NewGuid(), PlayableState.Running, 77, null));
        Bus.Publish(new MediaProcessingChanged(queuedMedia, PlayableState.Running, 42, null));

        cut.WaitForAssertion(() => Assert.Equal("Processing 42%", StateOf(cut, queuedClip)), Wait);
        Assert.Null(StateOf(cut, plainClip));
        Assert.DoesNotContain("77%", cut.Markup);

        Bus.Publish(new MediaProcessingChanged(queuedMedia, PlayableState.Running, 87, null));
        cut.WaitForAssertion(() => Assert.Equal("Processing 87%", StateOf(cut, queuedClip)), Wait);

        Bus.Publish(new MediaProcessingChanged(queuedMedia, PlayableState.Ready, 100, null));
        cut.WaitForAssertion(() => Assert.Null(StateOf(cut, queuedClip)), Wait);

        Bus.Publish(new MediaProcessingChanged(plainMedia, PlayableState.Failed, 0, "The clip could not be converted for browsers."));
        cut.WaitForAssertion(() => Assert.Equal("Cannot play in the browser", StateOf(cut, plainClip)), Wait);
        Assert.Null(StateOf(cut, queuedClip));
    }
}
