using MediaFiles.Core.Access;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Review;
using MediaFiles.Web.Auth;
using MediaFiles.Web.Components.Media;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Web.Components.Pages.Review;

/// <summary>
/// The live review page: reads the Core, hands the bus's messages to its <see cref="ReviewFeed"/>
/// and renders it; marks and flags entries, from a card or in the photo viewer by key.
/// </summary>
public partial class ReviewPage
{
    private CurrentUser? _user;
    private ReviewFeed? _feed;
    private readonly HashSet<Guid> _busy = [];
    private IReadOnlyList<Lightbox.LightboxPhoto> _lightboxPhotos = [];
    private IReadOnlyList<ReviewFeedItem> _viewable = [];
    private bool _lightboxOpen;
    private int _lightboxIndex;

    [Inject] private CoreScope Core { get; set; } = default!;
    [Inject] private CurrentUserAccessor CurrentUser { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    internal IReadOnlyList<ReviewFeedItem>? Items => _feed?.Items;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        var feed = new ReviewFeed(await Core.RunAsync<ReviewFeedQuery, IReadOnlyList<ReviewPatient>>(q => q.PatientsAsync(_user)));
        _feed = feed;
        // The feed is only changed on the renderer: the filters below read what never changes.
        Subscribe<TimelineChanged>(change => feed.Sees(change.PatientId), OnTimelineChangedAsync);
        Subscribe<MediaProcessingChanged>(_ => true, change => { if (feed.Apply(change)) RefreshViewer(); });
        Subscribe<IngestActivity>(activity => feed.Sees(activity.PatientId), activity => feed.Apply(activity, Clock.GetUtcNow().UtcDateTime));
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var filter = _feed!.Filter;
        _feed.Load(await Core.RunAsync<ReviewFeedQuery, IReadOnlyList<ReviewFeedItem>>(q => q.GetAsync(_user!, filter)));
        RefreshViewer();
    }

    // Something changed on a visible patient's timeline: read just that entry and let the feed place it.
    private async Task OnTimelineChangedAsync(TimelineChanged change)
    {
        var entry = await Core.RunAsync<ReviewFeedQuery, ReviewFeedItem?>(q => q.FindAsync(_user!, change.EventId));
        _feed!.Apply(change, entry);
        RefreshViewer();
    }

    /// <summary>The viewer's photos after the feed changed; the photo shown stays shown though others came or went.</summary>
    private void RefreshViewer()
    {
        var shown = _lightboxIndex < _viewable.Count ? _viewable[_lightboxIndex].Item.EventId : (Guid?)null;
        _viewable = _feed!.Viewable;
        _lightboxPhotos = _viewable.Select(i => new Lightbox.LightboxPhoto(i.Item.MediaFileId, Caption(i.Item), i.PatientName, i.Item.EventDateTime)).ToList();
        if (shown is { } id && _feed.ViewerIndexOf(id) is >= 0 and var index) _lightboxIndex = index;
    }

    private static string Caption(TimelineItem item) =>
        item.Description.Length > 0 ? item.Description : item.Type == EventType.PhotoSeries ? $"Series of {item.PhotoCount}" : "Photo";

    private ReviewFeedItem? ShownInViewer(int index) => index < _viewable.Count ? _feed?.Find(_viewable[index].Item.EventId) : null;

    private static string StageText(UploadStage stage) => stage switch
    {
        UploadStage.Receiving => "Uploading…",
        UploadStage.Checking => "Checking the file…",
        UploadStage.Variants => "Making thumbnails…",
        _ => "Saved, adding to the timeline…",
    };

    private async Task OpenAsync(ReviewFeedItem entry)
    {
        if (entry.Item.Type == EventType.VideoClip)
        {
            await Dialogs.ShowAsync<VideoPlayerDialog>($"{entry.PatientName} · {(entry.Item.Description.Length > 0 ? entry.Item.Description : "Video clip")}",
                new DialogParameters<VideoPlayerDialog> { { d => d.Item, entry.Item } },
                new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
            return;
        }
        _lightboxIndex = _feed!.ViewerIndexOf(entry.Item.EventId);
        _lightboxOpen = true;
    }

    // In the viewer a reviewer works through the feed with the keyboard: R marks and moves to the next not yet reviewed, F flags, N goes there without marking.
    private async Task OnLightboxKeyAsync((int Index, string Key) press)
    {
        if (ShownInViewer(press.Index) is not { } entry) return;
        switch (press.Key.ToLowerInvariant())
        {
            case "r":
                // Marked: on to the next one nobody has marked yet (the viewer stays when none is left).
                if (await MarkAsync(entry, ReviewKind.Reviewed, null) && _feed!.NextUnreviewed(press.Index) is { } after) _lightboxIndex = after;
                break;
            case "f": await FlagAsync(entry); break;
            case "n" when _feed!.NextUnreviewed(press.Index) is { } next: _lightboxIndex = next; break;
        }
    }

    private async Task FlagAsync(ReviewFeedItem entry)
    {
        var dialog = await Dialogs.ShowAsync<FlagDialog>($"Flag for {entry.PatientName}", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: string note }) await MarkAsync(entry, ReviewKind.Flagged, note);
    }

    private async Task<bool> MarkAsync(ReviewFeedItem entry, ReviewKind kind, string? note)
    {
        var id = entry.Item.EventId;
        _busy.Add(id);
        var state = await Core.TryRunAsync<ReviewService, ReviewState>(s => s.MarkAsync(_user!, id, kind, note));
        if (state is not null)
        {
            _feed!.SetReview(id, state);
            RefreshViewer();
            Snackbar.Add(kind == ReviewKind.Flagged ? $"Flagged for {entry.PatientName}." : $"Marked reviewed for {entry.PatientName}.", kind == ReviewKind.Flagged ? Severity.Warning : Severity.Success);
        }
        _busy.Remove(id);
        return state is not null;
    }
}
