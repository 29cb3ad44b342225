using MediaFiles.Core;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace MediaFiles.Web.Components.Media;

/// <summary>The one question asked before a photo, series or clip is deleted, saying what a delete really does.</summary>
public sealed class DeleteConfirmation(IDialogService dialogs, IOptions<MediaFilesOptions> options)
{
    /// <param name="what">"photo", "series" or "clip".</param>
    public async Task<bool> AskAsync(string what, string disappears = "It disappears")
    {
        var days = options.Value.DeletedRetention.TotalDays.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        return await dialogs.ShowMessageBoxAsync($"Delete this {what}?",
            $"{disappears} from the patient's timeline for everyone. An admin can restore it within {days} days; after that it is removed for good.",
            yesText: "Delete", cancelText: "Keep") == true;
    }
}
