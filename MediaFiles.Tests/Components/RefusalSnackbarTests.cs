using Bunit;
using MediaFiles.Core.Access;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Series;
using MediaFiles.Web.Components.Media;
using MediaFiles.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediaFiles.Tests.Components;

/// <summary>The components' one way to show a Core refusal: its message in a snackbar, the page carries on.</summary>
public sealed class RefusalSnackbarTests : ComponentTestContext
{
    private ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    [Fact]
    public async Task A_refusal_is_shown_with_its_message_and_severity_and_reported_as_not_done()
    {
        var core = Services.GetRequiredService<CoreScope>();

        Assert.False(await core.TryRunAsync<PhotoService>(_ => throw new ForbiddenException("Only the author may change this photo.")));
        Assert.Null(await core.TryRunAsync<PhotoService, string>(_ => throw new StaleSeriesException(3)));
        Assert.True(await core.TryRunAsync<PhotoService>(_ => Task.CompletedTask));

        Assert.Equal([("Only the author may change this photo.", Severity.Error), (new StaleSeriesException(3).Message, Severity.Warning)],
            Snackbar.ShownSnackbars.Select(s => (s.Message, s.Severity)));
    }

    [Fact]
    public async Task Something_else_than_a_refusal_is_not_swallowed()
    {
        var core = Services.GetRequiredService<CoreScope>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => core.TryRunAsync<PhotoService>(_ => throw new InvalidOperationException("a bug")));
        Assert.Empty(Snackbar.ShownSnackbars);
    }

    [Fact]
    public async Task Marking_an_entry_deleted_meanwhile_shows_the_refusal_and_the_panel_stays()
    {
        var (photo, _) = await AddPhotoAsync(await PatientIdAsync("Helena Marsh"), DateTime.UtcNow.AddHours(-1), "Heel");
        var nurse = User;
        await SignInAsync("reviewer");
        var cut = Render<ReviewPanel>(p => p.Add(r => r.EventId, photo));
        cut.WaitForAssertion(() => cut.Find("[data-testid=panel-mark-reviewed]"), Wait);
        await WithAsync<PhotoService, bool>(async s => { await s.DeleteAsync(nurse, photo); return true; });

        await cut.Find("[data-testid=panel-mark-reviewed]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(Severity.Error, Assert.Single(Snackbar.ShownSnackbars).Severity), Wait);
        Assert.False(cut.Find("[data-testid=panel-mark-reviewed]").HasAttribute("disabled"));
        Assert.Equal("Not reviewed yet.", cut.Find("[data-testid=review-none]").TextContent.Trim());
    }
}
