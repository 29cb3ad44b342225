using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MediaFiles.Core;
using Microsoft.JSInterop;

namespace MediaFiles.Web.Components.Media;

public partial class Lightbox : IAsyncDisposable
{
    /// <summary>A photo to show, with whose it is and when it was taken (shown in the top bar when given).</summary>
    public sealed record LightboxPhoto(Guid MediaFileId, string Caption, string? PatientName = null, DateTime? TakenAt = null);

    [Inject] private WardClock Clock { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public IReadOnlyList<LightboxPhoto> Photos { get; set; } = [];
    [Parameter] public bool Open { get; set; }
    [Parameter] public EventCallback<bool> OpenChanged { get; set; }
    [Parameter] public int Index { get; set; }
    [Parameter] public EventCallback<int> IndexChanged { get; set; }
    /// <summary>Buttons under the caption for the photo shown (its index), e.g. the reviewer's marks.</summary>
    [Parameter] public RenderFragment<int>? Actions { get; set; }
    /// <summary>A key the viewer itself does not use, with the index of the photo shown (e.g. "r" to mark it reviewed).</summary>
    [Parameter] public EventCallback<(int Index, string Key)> OnKey { get; set; }

    private ElementReference _root, _stage;
    private IJSObjectReference? _module, _gestures;
    private DotNetObjectReference<Lightbox>? _self;
    private bool _zoomed, _focusPending, _open;
    private int _index;
    private bool? _openParameter;
    private int? _indexParameter;
    private int Current => Math.Clamp(_index, 0, Math.Max(0, Photos.Count - 1));

    // The parameters seed the state; the component then keeps its own and reports changes.
    protected override void OnParametersSet()
    {
        if (_indexParameter != Index) { _indexParameter = Index; _index = Index; }
        if (_openParameter != Open)
        {
            _openParameter = Open;
            _open = Open;
            if (Open) _focusPending = true;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Take the keyboard when opened, so arrows and Escape work at once.
        if (_focusPending && _open && Photos.Count > 0)
        {
            _focusPending = false;
            await _root.FocusAsync();
            await AttachGesturesAsync();
        }
    }

    // The stage is rendered anew on each opening: swipe.js is attached to it then, and let go on close.
    private async Task AttachGesturesAsync()
    {
        try
        {
            await DetachGesturesAsync();
            _self ??= DotNetObjectReference.Create(this);
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/swipe.js");
            _gestures = await _module.InvokeAsync<IJSObjectReference>("attach", _stage, _self);
        }
        catch (JSDisconnectedException) { }
    }

    private async Task DetachGesturesAsync()
    {
        if (_gestures is null) return;
        var gestures = _gestures;
        _gestures = null;
        try
        {
            await gestures.InvokeVoidAsync("detach");
            await gestures.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }

    /// <summary>A horizontal swipe of more than ~50 px: the next (+1) or previous (-1) photo.</summary>
    [JSInvokable]
    public async Task StepFromSwipe(int step)
    {
        await GoAsync(Math.Sign(step));
        StateHasChanged();
    }

    /// <summary>Two fingers spread (in) or pinched (out).</summary>
    [JSInvokable]
    public Task ZoomFromGesture(bool zoomIn)
    {
        _zoomed = zoomIn;
        StateHasChanged();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await DetachGesturesAsync();
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
        _self?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task OnKeyDown(KeyboardEventArgs e)
    {
        switch (e.Key)
        {
            case "ArrowRight": await GoAsync(1); break;
            case "ArrowLeft": await GoAsync(-1); break;
            case "Escape": await CloseAsync(); break;
            case "+" or "=": _zoomed = true; break;
            case "-": _zoomed = false; break;
            case "Home": await GoToAsync(0); break;
            case "End": await GoToAsync(Photos.Count - 1); break;
            default:
                if (!e.CtrlKey && !e.AltKey && !e.MetaKey) await OnKey.InvokeAsync((Current, e.Key));
                break;
        }
    }

    private Task GoAsync(int step) => GoToAsync(Current + step);

    private async Task GoToAsync(int index)
    {
        var target = Math.Clamp(index, 0, Photos.Count - 1);
        if (target == Current) return;
        _zoomed = false;
        _index = target;
        await IndexChanged.InvokeAsync(target);
    }

    private void ToggleZoom() => _zoomed = !_zoomed;

    private async Task CloseAsync()
    {
        _zoomed = false;
        _open = false;
        await DetachGesturesAsync();
        await OpenChanged.InvokeAsync(false);
    }
}
