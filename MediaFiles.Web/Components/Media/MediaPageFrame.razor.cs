using Microsoft.AspNetCore.Components;
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
    [Parameter] public string PatientName { get; set; } = "";
    /// <summary>Deletes the item (the Core call); true when it went. Null when this user may not delete it: no button.</summary>
    [Parameter] public Func<Task<bool>>? Delete { get; set; }
    /// <summary>The first words of the delete question: what disappears.</summary>
    [Parameter] public string Disappears { get; set; } = "It disappears";
    /// <summary>The page is saving something: the delete waits.</summary>
    [Parameter] public bool Busy { get; set; }
    [Parameter] public RenderFragment? ChildContent { get; set; }

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
            Snackbar.Add($"{Label} deleted", Severity.Success);
            Navigation.NavigateTo($"/patients/{PatientId}");
        }
        finally
        {
            _deleting = false;
        }
    }
}
