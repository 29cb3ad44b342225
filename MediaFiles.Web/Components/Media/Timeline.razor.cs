using MediaFiles.Core.Access;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Timeline;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MediaFiles.Web.Components.Media;

public partial class Timeline
{
    [Parameter, EditorRequired] public Guid PatientId { get; set; }

    private IReadOnlyList<TimelineItem>? _items;
    private readonly HashSet<Guid> _fresh = [];
    private CurrentUser? _user;

    internal IReadOnlyList<TimelineItem>? Items => _items;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        Subscribe<TimelineChanged>(change => change.PatientId == PatientId, OnTimelineChangedAsync);
        Subscribe<MediaProcessingChanged>(_ => true, OnProcessingChanged);
        await LoadAsync();
    }

    private async Task LoadAsync() =>
        _items = await Core.RunAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(_user!, PatientId));

    // Another user's (or this user's) change to this patient: reload, and mark what is new.
    private async Task OnTimelineChangedAsync(TimelineChanged change)
    {
        var before = _items?.Select(i => i.EventId).ToHashSet() ?? [];
        await LoadAsync();
        foreach (var item in _items!.Where(i => !before.Contains(i.EventId))) _fresh.Add(item.EventId);
    }

    // A clip's playable copy moved on: update its card in place (percent, ready, failed).
    private void OnProcessingChanged(MediaProcessingChanged change)
    {
        if (_items is null || !_items.Any(i => i.MediaFileId == change.MediaFileId)) return;
        _items = _items.Select(i => i.MediaFileId == change.MediaFileId ? i with { PlayableState = change.State, PlayableProgress = change.Progress, PlayableError = change.Error } : i).ToList();
    }
}
