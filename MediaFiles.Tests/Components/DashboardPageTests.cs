using MediaFiles.Core;
using Bunit;
using MediaFiles.Core.Admin;
using MediaFiles.Core.Audit;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Components.Pages.Admin;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor.Interop;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Components;

/// <summary>The admin dashboard over the real Core: stat cards, the uploads chart, the tables, refresh and the empty state.</summary>
public sealed class DashboardPageTests : ComponentTestContext
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await SignInAsync("admin");
        // As in the app once the circuit is up (the page does not read the figures while prerendering).
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private Task AuditAsync(bool success, string details, Guid? mediaFileId = null) =>
        WithAsync<AuditLog, bool>(async a =>
        {
            await a.WriteAsync(AuditActions.MediaUpload, User.Id, success, mediaFileId, details: details);
            return true;
        });

    /// <summary>Two photos on a timeline, one duplicate upload (staged, of the first photo's bytes) and one refused upload, all audited as the endpoint does.</summary>
    private async Task<long> SeedAsync()
    {
        var patient = await PatientIdAsync("Helena Marsh");
        var bytes = TestUploads.UniqueJpeg(160, 120);
        var first = await StageAsync(bytes);
        await AuditAsync(true, "saved", first.MediaFileId);
        await WithAsync<MediaFiles.Core.Photos.PhotoService, Guid>(s => s.CreateAsync(User, patient, first.UploadId, "One", null));
        var (_, second) = await AddPhotoAsync(patient, DateTime.UtcNow.AddHours(-1), "Two");
        await AuditAsync(true, "saved", second);
        var duplicate = await StageAsync(bytes);
        await AuditAsync(true, "duplicate", duplicate.MediaFileId);
        await AuditAsync(false, RefusalReasons.TooLarge);
        return bytes.Length;
    }

    private static string Stat(IRenderedComponent<DashboardPage> cut, string testId) =>
        cut.Find($"[data-testid={testId}] .stat-value").TextContent.Trim();

    [Fact]
    public async Task Shows_the_figures_of_a_seeded_system()
    {
        var duplicatedBytes = await SeedAsync();

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Equal("2", Stat(cut, "stat-photos")), Wait);
        Assert.Equal("0", Stat(cut, "stat-series"));
        Assert.Equal("0", Stat(cut, "stat-clips"));
        Assert.Equal("3", Stat(cut, "stat-uploads"));
        Assert.Contains("1 refused", cut.Find("[data-testid=stat-uploads]").TextContent);
        Assert.Equal($"{ByteSize.Text(duplicatedBytes)} saved", cut.Find("[data-testid=dedup-saved]").TextContent.Trim());
        Assert.Contains("1 duplicate upload recognised", cut.Find("[data-testid=dedup-uploads]").TextContent);
        var originals = await DbAsync(db => db.MediaFiles.SumAsync(m => m.Size));
        Assert.Equal(ByteSize.Text(originals), cut.Find("[data-testid=storage-originals]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=dashboard-loading]"));

        var refusal = Assert.Single(cut.FindAll("[data-testid=refusal-row]"));
        Assert.Equal("File too large", refusal.QuerySelector(".refusal-label")!.TextContent.Trim());
        Assert.Equal("1", refusal.QuerySelector(".refusal-count")!.TextContent.Trim());

        var uploader = Assert.Single(cut.FindAll("[data-testid=uploader-row]"));
        Assert.Equal("Ada Okafor", uploader.QuerySelector(".uploader-name")!.TextContent.Trim());
        Assert.Equal("3", uploader.QuerySelector(".uploader-count")!.TextContent.Trim());

        Assert.Empty(cut.FindAll("[data-testid=empty-state]"));
    }

    [Fact]
    public async Task The_uploads_chart_has_a_bar_label_for_each_of_the_30_days_ending_today()
    {
        await SeedAsync();
        // The chart fills its box (MatchBoundsToSize): it draws once the browser reports the box's size.
        JSInterop.Setup<ElementSize>("mudObserveElementSize", _ => true).SetResult(new ElementSize { Width = 900, Height = 300 });

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.FindComponent<MudBlazor.MudChart<double>>()), Wait);
        var chart = cut.FindComponent<MudBlazor.MudChart<double>>();
        Assert.Equal(MudBlazor.ChartType.Bar, chart.Instance.ChartType);
        var labels = chart.Instance.ChartLabels;
        Assert.Equal(30, labels.Length);
        var today = DateOnly.FromDateTime(Services.GetRequiredService<WardClock>().Now);
        Assert.Equal(today.ToString("d MMM"), labels[^1]);
        Assert.Equal(today.AddDays(-29).ToString("d MMM"), labels[0]);
        var values = Assert.Single(chart.Instance.ChartSeries).Data.Values;
        Assert.Equal(30, values.Count);
        Assert.Equal(3d, values[^1]);
        Assert.Equal(3d, values.Sum());
        // The labels reach the drawing, not just the parameters: one x-axis text per day, in order.
        cut.WaitForAssertion(() => Assert.Equal(labels, chart.FindAll("svg text").Select(t => t.TextContent.Trim()).Where(labels.Contains)), Wait);
    }

    [Fact]
    public void A_fresh_system_shows_the_empty_state_and_zeros()
    {
        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Equal("0", Stat(cut, "stat-photos")), Wait);
        var empty = cut.Find("[data-testid=uploads-per-day] [data-testid=empty-state]");
        Assert.Contains("No uploads in the last 30 days", empty.TextContent);
        Assert.Empty(cut.FindComponents<MudBlazor.MudChart<double>>());
        Assert.Contains("No uploads were refused", cut.Find("[data-testid=refusals-empty]").TextContent);
        Assert.Contains("No uploads in the last 30 days", cut.Find("[data-testid=uploaders-empty]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=refusal-row]"));
        Assert.Equal("0 bytes saved", cut.Find("[data-testid=dedup-saved]").TextContent.Trim());
        Assert.Equal("empty", cut.Find("[data-testid=health-queue] td:last-child").TextContent.Trim());
    }

    [Fact]
    public async Task Refresh_reads_the_figures_again()
    {
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal("0", Stat(cut, "stat-photos")), Wait);

        var patient = await PatientIdAsync("Jonas Weber");
        var (_, media) = await AddPhotoAsync(patient, DateTime.UtcNow.AddMinutes(-5), "New");
        await AuditAsync(true, "saved", media);
        Assert.Equal("0", Stat(cut, "stat-photos"));

        await cut.Find("[data-testid=dashboard-refresh]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("1", Stat(cut, "stat-photos")), Wait);
        Assert.Equal("1", Stat(cut, "stat-uploads"));
        Assert.NotNull(cut.FindComponent<MudBlazor.MudChart<double>>());
        Assert.Empty(cut.FindAll("[data-testid=uploads-per-day] [data-testid=empty-state]"));
    }

    [Fact]
    public void While_prerendering_it_shows_the_loading_bar_and_reads_nothing()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<DashboardPage>();

        Assert.NotNull(cut.Find("[data-testid=dashboard-loading]"));
        Assert.Empty(cut.FindAll("[data-testid=stat-photos]"));
        Assert.True(cut.Find("[data-testid=dashboard-refresh]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_health_card_names_the_ffmpeg_version_and_the_queue()
    {
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal("0", Stat(cut, "stat-photos")), Wait);

        var figures = await WithAsync<DashboardQuery, DashboardFigures>(q => q.GetAsync(User));
        var status = cut.Find("[data-testid=health-status]");
        var ffmpeg = cut.Find("[data-testid=health-ffmpeg]").TextContent;
        if (figures.Health.FfmpegInstalled)
        {
            Assert.Contains(figures.Health.FfmpegVersion!, ffmpeg);
            Assert.Equal(figures.Health.DiskLow ? "Disk low" : "OK", status.TextContent.Trim());
        }
        else
        {
            Assert.Contains("not installed", ffmpeg);
            Assert.Equal("ffmpeg missing", status.TextContent.Trim());
        }
        Assert.Contains(ByteSize.Text(figures.Health.DatabaseBytes!.Value), cut.Find("[data-testid=health-database]").TextContent);
    }
}
