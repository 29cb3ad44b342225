using MediaFiles.Core;
using System.Globalization;
using Bunit;
using MediaFiles.Core.Audit;
using MediaFiles.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
// The page and Core's AuditPage record share a name; here AuditPage is the page.
using AuditPage = MediaFiles.Web.Components.Pages.Admin.AuditPage;

namespace MediaFiles.Tests.Components;

/// <summary>The admin audit viewer over the real Core: server-paged grid with joined names, filters that reload it, and the export link.</summary>
public sealed class AuditPageTests : ComponentTestContext
{
    private static readonly DateTime Now = DateTime.UtcNow;
    private Guid _nurse, _admin, _helena;

    /// <summary>Four rows: nurse media.read (Helena) · admin photo.create · nurse media.read refused · anonymous rate_limited, an hour apart.</summary>
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _nurse = await DbAsync(db => db.Users.Where(u => u.Subject == "nurse").Select(u => u.Id).SingleAsync());
        _admin = await DbAsync(db => db.Users.Where(u => u.Subject == "admin").Select(u => u.Id).SingleAsync());
        _helena = await PatientIdAsync("Helena Marsh");
        await DbAsync(db =>
        {
            db.AuditEntries.AddRange(
                new AuditEntry { At = Now.AddHours(-4), Action = AuditActions.MediaRead, UserId = _nurse, Success = true, PatientId = _helena, Details = "thumbnail" },
                new AuditEntry { At = Now.AddHours(-3), Action = AuditActions.PhotoCreate, UserId = _admin, Success = true, ClientAddress = "10.1.2.3" },
                new AuditEntry { At = Now.AddHours(-2), Action = AuditActions.MediaRead, UserId = _nurse, Success = false, Details = "original:denied" },
                new AuditEntry { At = Now.AddHours(-1), Action = AuditActions.RateLimited, Success = false, Details = "uploads" });
            return db.SaveChangesAsync();
        });
        Render<MudPopoverProvider>();
    }

    private IRenderedComponent<AuditPage> RenderPage()
    {
        var cut = Render<AuditPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, Cells(cut, "audit-action").Count), Wait);
        return cut;
    }

    private static List<string> Cells(IRenderedComponent<AuditPage> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]").Select(e => e.TextContent.Trim()).ToList();

    private static Task ChooseAsync<T>(IRenderedComponent<AuditPage> cut, string label, T value) =>
        cut.InvokeAsync(() => cut.FindComponents<MudSelect<T>>().Single(s => s.Instance.Label == label).Instance.ValueChanged.InvokeAsync(value));

    private static string ExportHref(IRenderedComponent<AuditPage> cut) => cut.Find("[data-testid=audit-export]").GetAttribute("href")!;

    [Fact]
    public void The_grid_shows_the_rows_newest_first_with_user_names()
    {
        var cut = RenderPage();

        Assert.Equal([AuditActions.RateLimited, AuditActions.MediaRead, AuditActions.PhotoCreate, AuditActions.MediaRead], Cells(cut, "audit-action"));
        Assert.Equal(["—", "Nora Lindqvist", "Ada Okafor", "Nora Lindqvist"], Cells(cut, "audit-user"));
        Assert.Equal(["Refused", "Refused", "Success", "Success"], Cells(cut, "audit-outcome"));
        var patient = cut.Find("[data-testid=audit-patient]");
        Assert.Equal(_helena.ToString("N")[..8], patient.TextContent.Trim());
        Assert.Contains(_helena.ToString(), patient.GetAttribute("title"));
        Assert.Contains("10.1.2.3", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=empty-state]"));
    }

    [Fact]
    public async Task Changing_the_action_filter_reloads_the_grid_with_only_those_rows()
    {
        var cut = RenderPage();

        await ChooseAsync(cut, "Action", AuditActions.MediaRead);

        cut.WaitForAssertion(() => Assert.Equal([AuditActions.MediaRead, AuditActions.MediaRead], Cells(cut, "audit-action")), Wait);
        Assert.Equal(["Refused", "Success"], Cells(cut, "audit-outcome"));

        await ChooseAsync(cut, "Outcome", AuditPage.AuditOutcome.Refused);

        cut.WaitForAssertion(() => Assert.Equal(["Refused"], Cells(cut, "audit-outcome")), Wait);
        Assert.Equal(["Nora Lindqvist"], Cells(cut, "audit-user"));
    }

    [Fact]
    public async Task The_user_filter_narrows_to_that_users_rows()
    {
        var cut = RenderPage();

        await ChooseAsync<Guid?>(cut, "User", _admin);

        cut.WaitForAssertion(() => Assert.Equal([AuditActions.PhotoCreate], Cells(cut, "audit-action")), Wait);
        Assert.Equal(["Ada Okafor"], Cells(cut, "audit-user"));
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_shows_the_empty_state()
    {
        var cut = RenderPage();

        await ChooseAsync(cut, "Action", AuditActions.SeriesZip);

        cut.WaitForAssertion(() => Assert.Contains("No audit rows match these filters", cut.Find("[data-testid=empty-state]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=audit-action]"));
    }

    [Fact]
    public async Task The_export_link_carries_the_filters_as_its_query_string()
    {
        var cut = RenderPage();
        var link = cut.Find("[data-testid=audit-export]");
        Assert.Equal("/api/audit/export.csv", link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"), "a download link, which Blazor's router leaves to the browser");

        await ChooseAsync(cut, "Action", AuditActions.MediaRead);
        await ChooseAsync(cut, "Outcome", AuditPage.AuditOutcome.Refused);
        await ChooseAsync<Guid?>(cut, "User", _nurse);

        cut.WaitForAssertion(() => Assert.Equal(
            $"/api/audit/export.csv?userId={_nurse}&action=media.read&success=false", ExportHref(cut)), Wait);

        // Dates are whole days of the ward's clock, sent as UTC instants (to is the start of the next day).
        var day = new DateTime(2001, 3, 14);
        await cut.InvokeAsync(() => cut.FindComponents<MudDatePicker>().Single(p => p.Instance.Label!.StartsWith("From")).Instance.DateChanged.InvokeAsync(day));
        await cut.InvokeAsync(() => cut.FindComponents<MudDatePicker>().Single(p => p.Instance.Label!.StartsWith("To")).Instance.DateChanged.InvokeAsync(day));
        var clock = Services.GetRequiredService<WardClock>();
        var from = clock.ToUtc(day).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var to = clock.ToUtc(day.AddDays(1)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        cut.WaitForAssertion(() => Assert.EndsWith($"&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", ExportHref(cut)), Wait);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=audit-action]")), Wait);
    }
}
