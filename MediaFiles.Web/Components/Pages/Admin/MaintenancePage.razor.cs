using MediaFiles.Core.Access;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Maintenance;
using MediaFiles.Core.Trash;
using MediaFiles.Web.Auth;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MediaFiles.Web.Components.Pages.Admin;

/// <summary>The admin's maintenance jobs: start one, watch its progress live, read the history.</summary>
public partial class MaintenancePage
{
    private static readonly MaintenanceJobKind[] Kinds =
        [MaintenanceJobKind.IntegrityScan, MaintenanceJobKind.RegenerateVariants, MaintenanceJobKind.PurgeDeleted];

    private IReadOnlyList<MaintenanceJobView>? _jobs;
    private readonly HashSet<MaintenanceJobKind> _starting = [];
    private CurrentUser? _user;

    [Inject] private CoreScope Core { get; set; } = default!;
    [Inject] private CurrentUserAccessor CurrentUser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    internal IReadOnlyList<MaintenanceJobView>? Jobs => _jobs;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUser.GetAsync();
        // Subscribe before reading, so a change between the read and the subscription is not lost.
        Subscribe<MaintenanceJobChanged>(_ => true, OnJobChangedAsync);
        await LoadAsync();
    }

    private async Task LoadAsync() =>
        _jobs = await Core.RunAsync<MaintenanceJobs, IReadOnlyList<MaintenanceJobView>>(j => j.ListAsync());

    // The worker's progress: a running job's percent moves in place; anything else (queued, finished,
    // interrupted) is read again from the database, which holds the summary and the result.
    private async Task OnJobChangedAsync(MaintenanceJobChanged change)
    {
        var known = _jobs?.FirstOrDefault(j => j.Id == change.JobId);
        if (change.State == MaintenanceJobState.Running && known is { State: MaintenanceJobState.Running })
        {
            if (change.Progress > known.Progress)
                _jobs = _jobs!.Select(j => j.Id == change.JobId ? j with { Progress = change.Progress } : j).ToList();
        }
        else
        {
            await LoadAsync();
        }
    }

    private async Task StartAsync(MaintenanceJobKind kind)
    {
        _starting.Add(kind);
        if (kind == MaintenanceJobKind.PurgeDeleted && !await ConfirmPurgeAsync())
        {
            _starting.Remove(kind);
            return;
        }
        if (await Core.TryRunAsync<MaintenanceJobs>(j => j.StartAsync(_user!, kind)))
            Snackbar.Add($"{MaintenanceText.Name(kind)} started. It runs on the server: you can close this page.", Severity.Info);
        _starting.Remove(kind);
        await LoadAsync();
    }

    /// <summary>A purge cannot be undone: say how much goes, and ask. With nothing past the retention it just runs (and says so).</summary>
    private async Task<bool> ConfirmPurgeAsync()
    {
        var estimate = await Core.RunAsync<DeletedEvents, PurgeEstimate>(t => t.EstimatePurgeAsync(_user!));
        if (estimate.Entries == 0) return true;
        return await Dialogs.ShowMessageBoxAsync("Purge deleted entries?", PurgeQuestion(estimate), yesText: "Purge", cancelText: "Cancel") == true;
    }

    internal static string PurgeQuestion(PurgeEstimate estimate) =>
        $"Purge {estimate.Entries} deleted {(estimate.Entries == 1 ? "entry" : "entries")} ({SizeText.Of(estimate.Bytes)})? This cannot be undone.";

    private MaintenanceJobView? ActiveOf(MaintenanceJobKind kind) => _jobs?.FirstOrDefault(j => j.Kind == kind && j.IsActive);

    private MaintenanceJobView? LastOf(MaintenanceJobKind kind) => _jobs?.FirstOrDefault(j => j.Kind == kind && !j.IsActive);
}
