using MediaFiles.Core;
using MediaFiles.Core.Access;
using MediaFiles.Core.Events;
using MediaFiles.Core.Series;
using MediaFiles.Web.Components.Media;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace MediaFiles.Web.Components.Pages.Series;

public partial class SeriesPage
{
    [Parameter] public Guid SeriesId { get; set; }

    private SeriesDetail? _series;
    private IReadOnlyList<Lightbox.LightboxPhoto> _photos = [];
    private bool _notFound, _busy, _lightboxOpen;
    private int _lightboxIndex, _maxPhotos;
    private CurrentUser? _user;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<MediaFiles.Core.MediaFilesOptions> Options { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _maxPhotos = Options.Value.MaxSeriesPhotos;
        _user = await CurrentUser.GetAsync();
        // Another editor's change shows up here at once.
        Subscribe<TimelineChanged>(change => change.EventId == SeriesId, _ => LoadAsync());
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _series = await Core.FindAsync<SeriesQuery, SeriesDetail>(q => q.GetAsync(_user!, SeriesId));
        _notFound = _series is null;
        _photos = _series?.Items.Select(i => new Lightbox.LightboxPhoto(i.MediaFileId, i.Caption.Length > 0 ? i.Caption : $"Photo {i.OrderIndex}", _series.PatientName, _series.EventDateTime)).ToList() ?? [];
    }

    private void OpenLightbox(int index)
    {
        _lightboxIndex = index;
        _lightboxOpen = true;
    }

    private async Task MoveAsync(int from, int to)
    {
        if (_series is null || from == to || to < 1 || to > _series.Items.Count) return;
        await ChangeAsync(s => s.MoveAsync(_user!, SeriesId, from, to, _series.Version));
    }

    private async Task RemoveAsync(SeriesItem item)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove this photo?",
            $"Photo {item.OrderIndex} leaves the series and the others close the gap.", yesText: "Remove", cancelText: "Keep");
        if (confirmed != true) return;
        await ChangeAsync(s => s.RemoveAsync(_user!, SeriesId, item.Id, _series!.Version));
    }

    /// <summary>One versioned change; a stale one shows the message (a warning) and the fresh order.</summary>
    private async Task ChangeAsync(Func<PhotoSeriesService, Task<int>> change)
    {
        _busy = true;
        await Core.TryRunAsync<PhotoSeriesService>(change);
        _busy = false;
        await LoadAsync();
    }

    private Task SaveCaptionAsync(SeriesItem item, string caption) =>
        Core.TryRunAsync<PhotoSeriesService>(s => s.SetItemCaptionAsync(_user!, SeriesId, item.Id, caption));

    private async Task<bool> SaveSeriesAsync(string caption, DateTime when)
    {
        if (!await Core.TryRunAsync<PhotoSeriesService>(s => s.UpdateAsync(_user!, SeriesId, caption, when))) return false;
        Snackbar.Add("Saved", Severity.Success);
        await LoadAsync();
        return true;
    }

    private Task<bool> DeleteSeriesAsync() => Core.TryRunAsync<PhotoSeriesService>(s => s.DeleteAsync(_user!, SeriesId));
}
