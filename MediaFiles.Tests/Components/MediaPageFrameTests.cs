using Bunit;
using MediaFiles.Web.Components.Media;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediaFiles.Tests.Components;

/// <summary>The one frame of the photo, series and clip pages: empty state, loading, breadcrumb, delete.</summary>
public sealed class MediaPageFrameTests : ComponentTestContext
{
    private static readonly Guid Patient = Guid.NewGuid();

    private IRenderedComponent<MediaPageFrame> RenderFrame(Action<ComponentParameterCollectionBuilder<MediaPageFrame>> more) =>
        Render<MediaPageFrame>(p =>
        {
            p.Add(f => f.Label, "Photo").Add(f => f.NotFoundIcon, Icons.Material.Outlined.HideImage)
             .Add(f => f.PatientId, Patient).Add(f => f.PatientName, "Helena Marsh")
             .AddChildContent("<p data-testid=\"page-body\">the photo</p>");
            more(p);
        });

    [Fact]
    public void Not_found_shows_the_empty_state_and_not_the_page()
    {
        var cut = RenderFrame(p => p.Add(f => f.NotFound, true).Add(f => f.Loading, true));

        Assert.Contains("Photo not found", cut.Find("[data-testid=empty-state]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=page-body]"));
        Assert.Empty(cut.FindAll("[data-testid=media-page-loading]"));
    }

    [Fact]
    public void While_loading_only_the_bar_shows_then_the_breadcrumb_and_the_page()
    {
        var cut = RenderFrame(p => p.Add(f => f.Loading, true));
        cut.Find("[data-testid=media-page-loading]");
        Assert.Empty(cut.FindAll("[data-testid=page-body]"));

        cut.Render(p => p.Add(f => f.Loading, false));

        cut.Find("[data-testid=page-body]");
        Assert.Equal(["Patients", "Helena Marsh", "Photo"], cut.FindAll(".mud-breadcrumb-item").Select(e => e.TextContent.Trim()));
        Assert.Contains($"/patients/{Patient}", cut.Find(".mud-breadcrumbs").InnerHtml);
        Assert.Empty(cut.FindAll("[data-testid=delete-photo]")); // no delete action given: may not delete
    }

    [Fact]
    public async Task Delete_asks_first_then_calls_the_delete_and_goes_to_the_patient()
    {
        var dialogs = Render<MudDialogProvider>();
        var calls = 0;
        var cut = RenderFrame(p => p.Add(f => f.Delete, () => { calls++; return Task.FromResult(true); }));

        // Keep: nothing happens. (The click's handler waits for the answer: not awaited before it.)
        var asking = cut.Find("[data-testid=delete-photo]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("An admin can restore it within 30 days", dialogs.Markup), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Keep").ClickAsync(new()).WaitAsync(Wait);
        await asking.WaitAsync(Wait);
        Assert.Equal(0, calls);

        // Delete: the action runs and the page goes back to the patient.
        asking = cut.Find("[data-testid=delete-photo]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Delete this photo?", dialogs.Markup), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").ClickAsync(new()).WaitAsync(Wait);
        await asking.WaitAsync(Wait);

        Assert.Equal(1, calls);
        cut.WaitForAssertion(() => Assert.EndsWith($"/patients/{Patient}", Services.GetRequiredService<NavigationManager>().Uri), Wait);
    }

    [Fact]
    public async Task A_refused_delete_stays_on_the_page()
    {
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderFrame(p => p.Add(f => f.Delete, () => Task.FromResult(false)));
        var before = Services.GetRequiredService<NavigationManager>().Uri;

        var asking = cut.Find("[data-testid=delete-photo]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Delete this photo?", dialogs.Markup), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").ClickAsync(new()).WaitAsync(Wait);
        await asking.WaitAsync(Wait);

        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=delete-photo]").HasAttribute("disabled")), Wait);
        Assert.Equal(before, Services.GetRequiredService<NavigationManager>().Uri);
    }
}
