using MediaFiles.Core.Timeline;
using Microsoft.JSInterop;

namespace MediaFiles.Web.Components.Media;

// The timeline's filter and date jump (the layout's part; loading and live updates are in Timeline.razor.cs).
public partial class Timeline
{
    private readonly TimelineFilter _filter = new();
    private DateOnly? _jumpedTo;
    private IJSObjectReference? _scrollModule;

    internal TimelineFilter Filter => _filter;

    private DateOnly DayOf(TimelineItem item) => DateOnly.FromDateTime(Clock.ToLocal(item.EventDateTime));

    // "Today", "Yesterday", else "Mon 30 Nov 2026": short enough for a card's width (the title has the long form).
    private string ShortDayLabel(TimelineItem item, DateOnly day)
    {
        var label = Clock.DayLabel(item.EventDateTime);
        return label is "Today" or "Yesterday" ? label : day.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
    }

    private void ClearFilter() => _filter.Clear();

    /// <summary>Scrolls to <paramref name="wanted"/>, or the nearest earlier day the (filtered) timeline has.</summary>
    internal async Task JumpToAsync(DateOnly wanted)
    {
        if (_items is null) return;
        _jumpedTo = TimelineFilter.DayToJumpTo(_filter.Apply(_items).Select(DayOf).Distinct(), wanted);
        if (_jumpedTo is not { } day) return;
        StateHasChanged();
        _scrollModule ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/timeline.js");
        await _scrollModule.InvokeVoidAsync("scrollToDay", TimelineFilter.DayAnchor(day));
    }


    protected override async ValueTask DisposeAsyncCore()
    {
        if (_scrollModule is null) return;
        try { await _scrollModule.DisposeAsync(); }
        catch (JSDisconnectedException) { } // the circuit is gone, and the module with it
    }
}
