using Bunit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Maintenance;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Components.Pages.Admin;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Components;

/// <summary>The admin maintenance page over the real Core: job cards, live progress from the bus, the history and its details.</summary>
public sealed class MaintenancePageTests : ComponentTestContext
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await SignInAsync("admin");
    }

    private static string Card(MaintenanceJobKind kind) => $"[data-testid=job-card-{kind}]";

    private Task<Guid> StartAsync(MaintenanceJobKind kind) =>
        WithAsync<MaintenanceJobs, Guid>(j => j.StartAsync(User, kind));

    private Task<bool> RunNextAsync() =>
        WithAsync<MaintenanceRunner, bool>(r => r.RunNextAsync(CancellationToken.None));

    /// <summary>A job row as the runner leaves it while it works: Running, at <paramref name="progress"/> %.</summary>
    private Task<Guid> RunningJobAsync(MaintenanceJobKind kind, int progress) => DbAsync(async db =>
    {
        var job = new MaintenanceJob
        {
            Kind = kind,
            State = MaintenanceJobState.Running,
            Progress = progress,
            RequestedById = User.Id,
            RequestedAt = DateTime.UtcNow.AddMinutes(-2),
            StartedAt = DateTime.UtcNow.AddMinutes(-1),
        };
        db.MaintenanceJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    });

    [Fact]
    public void Without_any_job_the_history_shows_the_empty_state_and_every_start_button_is_enabled()
    {
        var cut = Render<MaintenancePage>();

        cut.WaitForAssertion(() => Assert.Contains("No maintenance has run yet", cut.Find("[data-testid=empty-state]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=job-history]"));
        foreach (var kind in Enum.GetValues<MaintenanceJobKind>())
        {
            Assert.False(cut.Find($"[data-testid=start-{kind}]").HasAttribute("disabled"), kind.ToString());
            Assert.Empty(cut.FindAll($"{Card(kind)} [data-testid=job-progress]"));
        }
        // The purge card names the retention.
        Assert.Contains("deleted more than 30 days ago", cut.Find(Card(MaintenanceJobKind.PurgeDeleted)).TextContent);
    }

    [Fact]
    public async Task The_history_shows_a_finished_scans_summary_and_expands_to_its_problems()
    {
        var missing = await StageAsync(TestUploads.UniqueJpeg(160, 120));
        await StageAsync(TestUploads.UniqueJpeg(160, 120));
        var original = await DbAsync(db => db.MediaFiles.Where(m => m.Id == missing.MediaFileId).Select(m => m.FilePath).SingleAsync());
        File.Delete(Path.Combine(Directory, "media", original));
        await StartAsync(MaintenanceJobKind.IntegrityScan);
        Assert.True(await RunNextAsync());

        // Opened after the job ran (as after closing the tab): the result comes from the database.
        var cut = Render<MaintenancePage>();

        cut.WaitForAssertion(() => Assert.Equal("2 originals checked: 1 missing", cut.Find("[data-testid=job-summary]").TextContent.Trim()), Wait);
        Assert.Equal("Done", cut.Find("[data-testid=job-state]").TextContent.Trim());
        Assert.Contains("Ada Okafor", cut.Find("[data-testid=job-history]").TextContent);
        Assert.Contains("2 originals checked: 1 missing", cut.Find($"{Card(MaintenanceJobKind.IntegrityScan)} [data-testid=job-last]").TextContent);
        Assert.False(cut.Find("[data-testid=start-IntegrityScan]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=job-details]"));

        cut.Find("[data-testid=job-details-toggle]").Click();

        var details = cut.Find("[data-testid=job-details-missing]");
        Assert.Equal([missing.MediaFileId.ToString()], details.QuerySelectorAll("li").Select(li => li.TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=job-details-mismatch]"));
        Assert.Empty(cut.FindAll("[data-testid=job-details-orphans]"));
    }

    [Fact]
    public async Task A_published_progress_message_moves_the_progress_bar_without_a_reload()
    {
        var jobId = await RunningJobAsync(MaintenanceJobKind.RegenerateVariants, 10);
        var cut = Render<MaintenancePage>();
        var bar = $"{Card(MaintenanceJobKind.RegenerateVariants)} .mud-progress-linear";
        cut.WaitForAssertion(() => Assert.Equal("10", cut.Find(bar).GetAttribute("aria-valuenow")), Wait);
        Assert.True(cut.Find("[data-testid=start-RegenerateVariants]").HasAttribute("disabled"));
        Assert.False(cut.Find("[data-testid=start-IntegrityScan]").HasAttribute("disabled"));

        Bus.Publish(new MaintenanceJobChanged(jobId, MaintenanceJobKind.RegenerateVariants, MaintenanceJobState.Running, 55, ""));

        // The row still says 10 %: the 55 comes from the bus.
        cut.WaitForAssertion(() => Assert.Equal("55", cut.Find(bar).GetAttribute("aria-valuenow")), Wait);
        Assert.Contains("Running · 55 %", cut.Find($"{Card(MaintenanceJobKind.RegenerateVariants)} [data-testid=job-percent]").TextContent);
        Assert.Equal(10, await DbAsync(db => db.MaintenanceJobs.Where(j => j.Id == jobId).Select(j => j.Progress).SingleAsync()));
        // A late, lower percent never moves it back.
        Bus.Publish(new MaintenanceJobChanged(jobId, MaintenanceJobKind.RegenerateVariants, MaintenanceJobState.Running, 30, ""));
        Bus.Publish(new MaintenanceJobChanged(jobId, MaintenanceJobKind.RegenerateVariants, MaintenanceJobState.Running, 60, ""));
        cut.WaitForAssertion(() => Assert.Equal("60", cut.Find(bar).GetAttribute("aria-valuenow")), Wait);

        // It finishes: the page reads the row again and shows the result instead of the bar.
        await DbAsync(db => db.MaintenanceJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, MaintenanceJobState.Succeeded).SetProperty(j => j.Progress, 100)
            .SetProperty(j => j.FinishedAt, DateTime.UtcNow).SetProperty(j => j.Summary, "3 photos and 0 clips: 9 files written")));
        Bus.Publish(new MaintenanceJobChanged(jobId, MaintenanceJobKind.RegenerateVariants, MaintenanceJobState.Succeeded, 100, "3 photos and 0 clips: 9 files written"));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"{Card(MaintenanceJobKind.RegenerateVariants)} [data-testid=job-progress]")), Wait);
        Assert.Equal("3 photos and 0 clips: 9 files written", cut.Find("[data-testid=job-summary]").TextContent.Trim());
        Assert.False(cut.Find("[data-testid=start-RegenerateVariants]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Start_queues_the_job_and_disables_its_button_until_it_finishes()
    {
        var cut = Render<MaintenancePage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=empty-state]")), Wait);

        await cut.Find("[data-testid=start-PurgeDeleted]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=start-PurgeDeleted]").HasAttribute("disabled")), Wait);
        Assert.NotEmpty(cut.FindAll($"{Card(MaintenanceJobKind.PurgeDeleted)} [data-testid=job-progress]"));
        Assert.Equal("Queued", cut.Find("[data-testid=job-state]").TextContent.Trim());
        var job = await DbAsync(db => db.MaintenanceJobs.AsNoTracking().SingleAsync());
        Assert.Equal((MaintenanceJobKind.PurgeDeleted, MaintenanceJobState.Queued, User.Id), (job.Kind, job.State, job.RequestedById));

        // The worker runs it (here by hand); its end arrives over the bus.
        Assert.True(await RunNextAsync());

        cut.WaitForAssertion(() => Assert.Equal("Done", cut.Find("[data-testid=job-state]").TextContent.Trim()), Wait);
        Assert.Equal("Nothing was deleted longer ago than the 30-day retention", cut.Find("[data-testid=job-summary]").TextContent.Trim());
        Assert.False(cut.Find("[data-testid=start-PurgeDeleted]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Purge_asks_first_saying_how_many_entries_and_bytes_go()
    {
        var patient = await PatientIdAsync("Helena Marsh");
        var (photo, media) = await AddPhotoAsync(patient, DateTime.UtcNow.AddHours(-1));
        await WithAsync<MediaFiles.Core.Photos.PhotoService, bool>(async s => { await s.DeleteAsync(User, photo); return true; });
        await DbAsync(db => db.Events.IgnoreQueryFilters().Where(e => e.Id == photo)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.DeletedAt, DateTime.UtcNow.AddDays(-31))));
        var size = await DbAsync(db => db.MediaFiles.Where(m => m.Id == media).Select(m => m.Size).SingleAsync());
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<MaintenancePage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=empty-state]")), Wait);

        // Cancel: nothing starts.
        var asking = cut.Find("[data-testid=start-PurgeDeleted]").ClickAsync(new());
        var question = $"Purge 1 deleted entry ({MediaFiles.Core.Ingest.SizeText.Of(size)})? This cannot be undone.";
        dialogs.WaitForAssertion(() => Assert.Contains(question, dialogs.Markup), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new()).WaitAsync(Wait);
        await asking.WaitAsync(Wait);
        Assert.False(await DbAsync(db => db.MaintenanceJobs.AnyAsync()));
        Assert.False(cut.Find("[data-testid=start-PurgeDeleted]").HasAttribute("disabled"));

        // Purge: the job is queued.
        asking = cut.Find("[data-testid=start-PurgeDeleted]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains(question, dialogs.Markup), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Purge").ClickAsync(new()).WaitAsync(Wait);
        await asking.WaitAsync(Wait);
        Assert.Equal(MaintenanceJobKind.PurgeDeleted, (await DbAsync(db => db.MaintenanceJobs.AsNoTracking().SingleAsync())).Kind);
    }

    [Fact]
    public async Task The_page_gives_its_subscription_back_when_it_goes()
    {
        var before = Bus.SubscriptionCount;
        var cut = Render<MaintenancePage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=empty-state]")), Wait);
        Assert.Equal(before + 1, Bus.SubscriptionCount);

        await DisposeComponentsAsync();

        Assert.Equal(before, Bus.SubscriptionCount);
    }
}
