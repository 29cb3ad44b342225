using Bunit;
using MediaFiles.Core;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Timeline;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Components.Media;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediaFiles.Tests.Components;

/// <summary>"Undo" in the snackbar after a delete: the deleter takes it back within the undo window, and is told when it is too late.</summary>
public sealed class UndoDeleteTests : ComponentTestContext
{
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);

    public UndoDeleteTests() => Services.AddSingleton<TimeProvider>(_clock);

    private async Task<(IRenderedComponent<MudSnackbarProvider> Snackbars, Guid PhotoId, Guid PatientId, string PhotoUri)> DeleteAPhotoAsync()
    {
        var patient = await PatientIdAsync("Helena Marsh");
        var (photo, _) = await AddPhotoAsync(patient, _clock.UtcNow.AddHours(-1), "Heel");
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/photos/{photo}");
        var photoUri = navigation.Uri;
        var snackbars = Render<MudSnackbarProvider>();
        var dialogs = Render<MudDialogProvider>();
        var core = Services.GetRequiredService<CoreScope>();
        var nurse = User;
        var cut = Render<MediaPageFrame>(p => p
            .Add(f => f.Label, "Photo").Add(f => f.NotFoundIcon, Icons.Material.Outlined.HideImage)
            .Add(f => f.PatientId, patient).Add(f => f.PatientName, "Helena Marsh").Add(f => f.EventId, photo)
            .Add(f => f.Delete, () => core.TryRunAsync<PhotoService>(s => s.DeleteAsync(nurse, photo))));

        var asking = cut.Find("[data-testid=delete-photo]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("You can undo this for 10 seconds", dialogs.Markup), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").ClickAsync(new()).WaitAsync(Wait);
        await asking.WaitAsync(Wait);
        cut.WaitForAssertion(() => Assert.EndsWith($"/patients/{patient}", navigation.Uri), Wait);
        Assert.Empty(await Timeline(patient));
        return (snackbars, photo, patient, photoUri);
    }

    private Task<IReadOnlyList<TimelineItem>> Timeline(Guid patient) =>
        WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(User, patient));

    private static Task ClickUndoAsync(IRenderedComponent<MudSnackbarProvider> snackbars)
    {
        snackbars.WaitForAssertion(() => Assert.Contains("Photo deleted", snackbars.Markup), Wait);
        return snackbars.FindAll("button").Single(b => b.TextContent.Trim() == "Undo").ClickAsync(new());
    }

    [Fact]
    public async Task Undo_within_the_window_restores_the_entry_and_goes_back_to_its_page()
    {
        var (snackbars, photo, patient, photoUri) = await DeleteAPhotoAsync();
        _clock.Advance(TimeSpan.FromSeconds(8));

        await ClickUndoAsync(snackbars);

        snackbars.WaitForAssertion(() => Assert.Equal(photoUri, Services.GetRequiredService<NavigationManager>().Uri), Wait);
        Assert.Equal(photo, Assert.Single(await Timeline(patient)).EventId);
        Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message == "Photo restored");
    }

    [Fact]
    public async Task Undo_after_the_window_is_refused_with_the_way_back_through_an_admin()
    {
        var (snackbars, _, patient, _) = await DeleteAPhotoAsync();
        _clock.Advance(TimeSpan.FromSeconds(11));

        await ClickUndoAsync(snackbars);

        snackbars.WaitForAssertion(() => Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars,
            s => s.Message == "Too late to undo: an admin can restore it from Deleted items for 30 days." && s.Severity == Severity.Error), Wait);
        Assert.EndsWith($"/patients/{patient}", Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Empty(await Timeline(patient));
    }
}
