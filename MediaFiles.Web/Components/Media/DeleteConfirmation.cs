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
        var o = options.Value;
        var days = o.DeletedRetention.TotalDays.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        var undo = o.UndoWindow > TimeSpan.Zero
            ? $"You can undo this for {o.UndoWindow.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} seconds. "
            : "";
        return await dialogs.ShowMessageBoxAsync($"Delete this {what}?",
            $"{disappears} from the patient's timeline for everyone. {undo}An admin can restore it within {days} days; after that it is removed for good.",
            yesText: "Delete", cancelText: "Keep") == true;
    }
}
