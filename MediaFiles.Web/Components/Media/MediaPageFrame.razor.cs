using MediaFiles.Core;
using MediaFiles.Core.Trash;
using MediaFiles.Web.Auth;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace MediaFiles.Web.Components.Media;

public partial class MediaPageFrame
{
    /// <summary>What the page shows, capitalised: "Photo", "Series" or "Clip".</summary>
    [Parameter, EditorRequired] public string Label { get; set; } = "";
    [Parameter, EditorRequired] public string NotFoundIcon { get; set; } = "";
    [Parameter] public bool NotFound { get; set; }
    /// <summary>The item is still being read (and not known to be missing).</summary>
    [Parameter] public bool Loading { get; set; }
    [Parameter] public Guid PatientId { get; set; }
    /// <summary>The entry shown: what Undo restores.</summary>
    [Parameter] public Guid EventId { get; set; }
    [Parameter] public string PatientName { get; set; } = "";
    /// <summary>Deletes the item (the Core call); true when it went. Null when this user may not delete it: no button.</summary>
    [Parameter] public Func<Task<bool>>? Delete { get; set; }
    /// <summary>The first words of the delete question: what disappears.</summary>
    [Parameter] public string Disappears { get; set; } = "It disappears";
    /// <summary>The page is saving something: the delete waits.</summary>
    [Parameter] public bool Busy { get; set; }
    [Parameter] public RenderFragment? ChildContent { get; set; }

    [Inject] private CoreScope Core { get; set; } = default!;
    [Inject] private CurrentUserAccessor CurrentUser { get; set; } = default!;
    [Inject] private IOptions<MediaFilesOptions> Options { get; set; } = default!;

    private bool _deleting;

    private string What => Label.ToLowerInvariant();

    private List<BreadcrumbItem> Crumbs =>
        [new("Patients", "/patients"), new(PatientName, $"/patients/{PatientId}"), new(Label, null, disabled: true)];

    private async Task DeleteAsync()
    {
        if (Delete is null || !await DeleteConfirmation.AskAsync(What, Disappears)) return;
        _deleting = true;
        try
        {
            if (!await Delete()) return;
            OfferUndo(Navigation.Uri);
            Navigation.NavigateTo($"/patients/{PatientId}");
        }
        finally
        {
            _deleting = false;
        }
    }

    // The deleter may take it back for the undo window (the Core decides; a late click says so).
    // The snackbar lives in the layout, so it stays while the patient's page opens.
    private void OfferUndo(string entryUri)
    {
        var eventId = EventId;
        var window = Options.Value.UndoWindow;
        if (eventId == Guid.Empty || window <= TimeSpan.Zero)
        {
            Snackbar.Add($"{Label} deleted", Severity.Success);
            return;
        }
        Snackbar.Add($"{Label} deleted", Severity.Success, o =>
        {
            o.Action = "Undo";
            o.ActionColor = Color.Inherit;
            o.RequireInteraction = false;
            o.ShowTransitionDuration = 200;
            o.VisibleStateDuration = (int)Math.Max(1000, window.TotalMilliseconds - 1000);
            o.SnackbarTypeClass = "undo-snackbar";
            o.OnClick = _ => UndoAsync(eventId, entryUri);
        });
    }

    private async Task UndoAsync(Guid eventId, string entryUri)
    {
        var user = await CurrentUser.GetAsync();
        if (!await Core.TryRunAsync<DeletedEvents>(t => t.RestoreAsync(user, eventId))) return;
        Snackbar.Add($"{Label} restored", Severity.Success);
        Navigation.NavigateTo(entryUri);
    }
}
