using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace MediaFiles.Web.Components.Media;

public partial class Lightbox
{
    public sealed record LightboxPhoto(Guid MediaFileId, string Caption);

    [Parameter, EditorRequired] public IReadOnlyList<LightboxPhoto> Photos { get; set; } = [];
    [Parameter] public bool Open { get; set; }
    [Parameter] public EventCallback<bool> OpenChanged { get; set; }
    [Parameter] public int Index { get; set; }
    [Parameter] public EventCallback<int> IndexChanged { get; set; }
    /// <summary>Buttons under the caption for the photo shown (its index), e.g. the reviewer's marks.</summary>
    [Parameter] public RenderFragment<int>? Actions { get; set; }
    /// <summary>A key the viewer itself does not use, with the index of the photo shown (e.g. "r" to mark it reviewed).</summary>
    [Parameter] public EventCallback<(int Index, string Key)> OnKey { get; set; }

    private ElementReference _root;
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
        }
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
        await OpenChanged.InvokeAsync(false);
    }
}
