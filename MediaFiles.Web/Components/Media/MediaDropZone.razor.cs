using System.Text.Json;
using MediaFiles.Core;
using MediaFiles.Core.Access;
using MediaFiles.Core.Events;
using MediaFiles.Web.Auth;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace MediaFiles.Web.Components.Media;

/// <summary>
/// Wires the upload queue (<see cref="UploadQueue"/>, the state) to upload.js (the bytes), the bus
/// (the server's stages) and the Core (attaching staged files to the timeline). The event time is the
/// Core's rule: this component passes on only a time the user picked.
/// </summary>
public sealed partial class MediaDropZone
{
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private CoreScope Core { get; set; } = default!;
    [Inject] private CurrentUserAccessor CurrentUser { get; set; } = default!;
    [Inject] private AntiforgeryStateProvider Antiforgery { get; set; } = default!;
    [Inject] private IOptions<MediaFilesOptions> Options { get; set; } = default!;

    [Parameter, EditorRequired] public Guid PatientId { get; set; }
    /// <summary>Set on a series page: the files are added to that series instead.</summary>
    [Parameter] public Guid? SeriesId { get; set; }
    /// <summary>Photos already in the series this zone adds to.</summary>
    [Parameter] public int ExistingSeriesCount { get; set; }
    /// <summary>Called after photos were added to SeriesId.</summary>
    [Parameter] public EventCallback OnSeriesChanged { get; set; }

    private UploadQueue _queue = default!;
    private readonly Guid _batchId = Guid.NewGuid();
    private readonly string _pickId = $"pick-{Guid.NewGuid():N}";
    private readonly string _cameraId = $"camera-{Guid.NewGuid():N}";
    private ElementReference _zone, _pick, _camera;
    private IJSObjectReference? _module, _handle;
    private DotNetObjectReference<MediaDropZone>? _self;
    private CurrentUser? _user;
    private UploadAttacher _attacher = default!;
    private EventTimePicker? _time;
    private string _description = "";
    private bool _busy;
    private string? _error;

    internal UploadQueue Queue => _queue;

    protected override async Task OnInitializedAsync()
    {
        _queue = new UploadQueue(Options.Value) { AsSeries = SeriesId is not null };
        _user = await CurrentUser.GetAsync();
        _attacher = new UploadAttacher(Core, _user!, PatientId);
        Subscribe<UploadProgress>(p => p.BatchId == _batchId && p.UserId == _user?.Id, p => _queue.Apply(p));
    }

    protected override void OnParametersSet() => _queue.ExistingSeriesCount = SeriesId is null ? 0 : ExistingSeriesCount;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        var token = Antiforgery.GetAntiforgeryToken();
        _self = DotNetObjectReference.Create(this);
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/upload.js");
        _handle = await _module.InvokeAsync<IJSObjectReference>("attach", _zone, new[] { _pick, _camera }, _self, new
        {
            url = UploadUrl,
            tokenHeader = "RequestVerificationToken",
            token = token?.Value ?? "",
            parallel = Options.Value.ParallelUploads,
        });
    }

    /// <summary>New files from the browser: refuses at once what cannot go, answers with the keys to send.</summary>
    [JSInvokable]
    public Task<string[]> FilesAdded(BrowserFile[] files)
    {
        var keys = _queue.Add(files);
        StateHasChanged();
        return Task.FromResult(keys.ToArray());
    }

    [JSInvokable]
    public void Started(string key) => Changed(() => _queue.Sending(key));

    [JSInvokable]
    public void Progress(string key, long sent) => Changed(() => _queue.BytesSent(key, sent));

    [JSInvokable]
    public void Failed(string key, string message) => Changed(() => _queue.Failed(key, message));

    /// <summary>The HTTP reply for one file: staged (attached at once unless it is for a series) or refused.</summary>
    [JSInvokable]
    public async Task Completed(string key, int status, string body)
    {
        var item = status == 201
            ? _queue.Staged(key, JsonSerializer.Deserialize<UploadReply>(body, JsonSerializerOptions.Web)!)
            : _queue.NotStaged(key, status, body);
        StateHasChanged();
        if (item is null) return;
        await _attacher.AttachAsync(item, _description, _time?.PickedUtc);
        StateHasChanged();
    }

    private void Changed(Action change)
    {
        change();
        StateHasChanged();
    }

    private string UploadUrl => $"/api/uploads?batch={_batchId}&patient={PatientId}&kind={(_queue.AsSeries ? "series" : "photo")}";

    private string DropText => _queue.AsSeries ? "Drop photos here" : "Drop photos or clips here";

    private string ModeHint => SeriesId is not null ? "they are added at the end of the series"
        : _queue.AsSeries ? $"up to {Options.Value.MaxSeriesPhotos} photos become one series" : "each file becomes its own timeline entry";

    private async Task OnModeChanged(bool asSeries)
    {
        _queue.AsSeries = asSeries;
        if (_handle is not null) await _handle.InvokeVoidAsync("configure", new { url = UploadUrl });
    }

    private async Task CommitSeriesAsync()
    {
        _busy = true;
        _error = await _attacher.CommitSeriesAsync(_queue.ReadyForSeries, SeriesId, _description, _time?.PickedUtc);
        _busy = false;
        if (_error is null)
        {
            _time?.Reset();
            if (SeriesId is not null) await OnSeriesChanged.InvokeAsync();
        }
    }

    private async Task CancelSeriesAsync()
    {
        _busy = true;
        try
        {
            await _attacher.DiscardAsync(_queue.ReadyForSeries);
            _queue.Clear();
            _error = null;
            _time?.Reset();
        }
        finally
        {
            _busy = false;
        }
    }

    private void ClearFinished()
    {
        _queue.ClearFinished();
        _time?.Reset();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        try
        {
            if (_handle is not null) { await _handle.InvokeVoidAsync("dispose"); await _handle.DisposeAsync(); }
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
    }
}
