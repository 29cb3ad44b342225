using MediaFiles.Core;
using System.Globalization;
using MediaFiles.Core.Audit;
using MediaFiles.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MediaFiles.Web.Components.Pages.Admin;

/// <summary>The admin's audit trail: a server-paged grid under a filter bar, and the CSV export of the same filters.</summary>
public partial class AuditPage
{
    public enum AuditOutcome { All, Success, Refused }

    private static readonly int[] PageSizes = [25, 50, 100];

    private MudDataGrid<AuditRow>? _grid;
    private AuditFilters _filters = default!;
    private IReadOnlyList<AuditPick> _users = [];

    // The last page shown: kept when a newer load cancels this one (the grid does not catch the cancellation).
    private GridData<AuditRow> _lastPage = new() { Items = [], TotalItems = 0 };

    [Inject] private CoreScope Core { get; set; } = default!;
    [Inject] private WardClock Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _filters = new AuditFilters(Clock);
        _users = await Core.RunAsync<AuditQuery, IReadOnlyList<AuditPick>>(q => q.UsersAsync());
    }

    /// <summary>The filter bar as the query sees it.</summary>
    internal AuditFilter Filter => _filters.ToQuery();

    internal string ExportHref => _filters.ExportHref();

    private async Task<GridData<AuditRow>> LoadAsync(GridState<AuditRow> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var (by, descending) = sort is null ? (AuditSort.At, true) : (SortOf(sort.SortBy), sort.Descending);
        var filter = Filter;
        try
        {
            var page = await Core.RunAsync<AuditQuery, global::MediaFiles.Core.Audit.AuditPage>(q =>
                q.PageAsync(filter, by, descending, state.Page * state.PageSize, state.PageSize, ct));
            _lastPage = new GridData<AuditRow> { Items = page.Rows, TotalItems = page.Total };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return _lastPage;
    }

    /// <summary>The grid names a sort by the column's property.</summary>
    private static AuditSort SortOf(string? column) => column switch
    {
        nameof(AuditRow.Action) => AuditSort.Action,
        nameof(AuditRow.UserName) => AuditSort.User,
        nameof(AuditRow.Success) => AuditSort.Success,
        _ => AuditSort.At,
    };

    /// <summary>Back to the first page with the new filter (changing the page reloads by itself).</summary>
    private async Task ReloadAsync()
    {
        if (_grid is null) return;
        if (_grid.CurrentPage != 0)
            _grid.NavigateTo(Page.First);
        else
            await _grid.ReloadServerData();
    }

    private async Task FilterByPatientAsync(Guid patientId)
    {
        _filters.Patient = await Core.RunAsync<AuditQuery, AuditPick?>(q => q.FindPatientAsync(patientId))
            ?? new AuditPick(patientId, AuditFilters.Short(patientId));
        await ReloadAsync();
    }

    private static string UserLabel(AuditRow row) => row.UserName ?? (row.UserId is { } id ? AuditFilters.Short(id) : "—");

    private string LocalTime(DateTime utc) => Clock.ToLocal(utc).ToString("d MMM yyyy, HH:mm:ss", CultureInfo.InvariantCulture);

    private static Color ActionColor(string action) => action switch
    {
        AuditActions.Denied or AuditActions.RateLimited => Color.Error,
        AuditActions.SignIn or AuditActions.SignOut => Color.Default,
        AuditActions.AuditExport => Color.Warning,
        _ when action.EndsWith(".delete", StringComparison.Ordinal) => Color.Warning,
        _ when action.StartsWith("media.", StringComparison.Ordinal) => Color.Info,
        _ => Color.Primary,
    };
}
