using MediaFiles.Core.Audit;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Core;

/// <summary>The audit trail's filter, sort and paging rules (AuditQuery) over a real SQLite database.</summary>
public sealed class AuditQueryTests : IAsyncLifetime
{
    private CoreTestHost _host = null!;
    private Guid _nurse, _admin, _reviewer, _helena, _jonas;
    private readonly Dictionary<string, long> _ids = [];

    /// <summary>
    /// Five rows an hour apart, from <see cref="T0"/>:
    /// r1 nurse media.read Helena ok · r2 nurse access.denied refused · r3 admin photo.create Jonas ok ·
    /// r4 reviewer media.read Jonas refused · r5 nobody rate_limited refused.
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.CreateAsync();
        _nurse = (await _host.UserAsync("nurse")).Id;
        _admin = (await _host.UserAsync("admin")).Id;
        _reviewer = (await _host.UserAsync("reviewer")).Id;
        _helena = await _host.PatientIdAsync("Helena Marsh");
        _jonas = await _host.PatientIdAsync("Jonas Weber");

        await WriteAsync("r1", AuditActions.MediaRead, _nurse, true, _helena);
        await WriteAsync("r2", AuditActions.Denied, _nurse, false, null);
        await WriteAsync("r3", AuditActions.PhotoCreate, _admin, true, _jonas);
        await WriteAsync("r4", AuditActions.MediaRead, _reviewer, false, _jonas);
        await WriteAsync("r5", AuditActions.RateLimited, null, false, null);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static DateTime T0 => CoreTestHost.Start.UtcDateTime;

    private async Task WriteAsync(string name, string action, Guid? user, bool success, Guid? patient)
    {
        await _host.WithAsync<AuditLog>(a => a.WriteAsync(action, user, success, patientId: patient, details: name));
        _ids[name] = await _host.DbAsync(db => db.AuditEntries.Where(e => e.Details == name).Select(e => e.Id).SingleAsync());
        _host.Clock.Advance(TimeSpan.FromHours(1));
    }

    private Task<AuditPage> PageAsync(AuditFilter filter, AuditSort sort = AuditSort.At, bool descending = true, int skip = 0, int take = 100) =>
        _host.WithAsync<AuditQuery, AuditPage>(q => q.PageAsync(filter, sort, descending, skip, take));

    private static IEnumerable<string?> Names(AuditPage page) => page.Rows.Select(r => r.Details);

    [Fact]
    public async Task No_filter_reads_every_row_newest_first_with_user_names()
    {
        var page = await PageAsync(AuditFilter.None);

        Assert.Equal(5, page.Total);
        Assert.Equal(["r5", "r4", "r3", "r2", "r1"], Names(page));
        var r1 = page.Rows.Single(r => r.Details == "r1");
        Assert.Equal("Nora Lindqvist", r1.UserName);
        Assert.Equal(_nurse, r1.UserId);
        Assert.Equal(_helena, r1.PatientId);
        Assert.Equal(T0, r1.At);
        Assert.Equal(DateTimeKind.Utc, r1.At.Kind);
        Assert.Equal("Ada Okafor", page.Rows.Single(r => r.Details == "r3").UserName);
        var anonymous = page.Rows.Single(r => r.Details == "r5");
        Assert.Null(anonymous.UserId);
        Assert.Null(anonymous.UserName);
    }

    [Fact]
    public async Task Each_filter_narrows_the_rows()
    {
        Assert.Equal(["r2", "r1"], Names(await PageAsync(new AuditFilter(UserId: _nurse))));
        Assert.Equal(["r4", "r1"], Names(await PageAsync(new AuditFilter(Action: AuditActions.MediaRead))));
        Assert.Equal(["r4", "r3"], Names(await PageAsync(new AuditFilter(PatientId: _jonas))));
        Assert.Equal(["r5", "r4", "r2"], Names(await PageAsync(new AuditFilter(Success: false))));
        Assert.Equal(["r3", "r1"], Names(await PageAsync(new AuditFilter(Success: true))));

        // Together they narrow further (AND), and the total counts the filtered rows only.
        var both = await PageAsync(new AuditFilter(UserId: _nurse, Success: true));
        Assert.Equal(["r1"], Names(both));
        Assert.Equal(1, both.Total);
        var none = await PageAsync(new AuditFilter(Action: AuditActions.MediaRead, PatientId: _helena, Success: false));
        Assert.Empty(none.Rows);
        Assert.Equal(0, none.Total);
    }

    [Fact]
    public async Task An_unknown_action_or_user_matches_nothing_and_a_blank_action_matches_everything()
    {
        Assert.Equal(0, (await PageAsync(new AuditFilter(Action: "media.rea"))).Total);
        Assert.Equal(0, (await PageAsync(new AuditFilter(UserId: Guid.NewGuid()))).Total);
        Assert.Equal(5, (await PageAsync(new AuditFilter(Action: "  "))).Total);
    }

    [Fact]
    public async Task From_is_inclusive_and_to_is_exclusive()
    {
        // r2 is at T0+1h exactly, r4 at T0+3h exactly.
        var range = await PageAsync(new AuditFilter(From: T0.AddHours(1), To: T0.AddHours(3)));
        Assert.Equal(["r3", "r2"], Names(range));

        // One tick either way moves the boundary rows out and in.
        Assert.Equal(["r3"], Names(await PageAsync(new AuditFilter(From: T0.AddHours(1).AddTicks(1), To: T0.AddHours(3)))));
        Assert.Equal(["r4", "r3", "r2"], Names(await PageAsync(new AuditFilter(From: T0.AddHours(1), To: T0.AddHours(3).AddTicks(1)))));
        Assert.Equal(["r5", "r4"], Names(await PageAsync(new AuditFilter(From: T0.AddHours(3)))));
        Assert.Equal(["r1"], Names(await PageAsync(new AuditFilter(To: T0.AddHours(1)))));
    }

    [Fact]
    public async Task A_time_without_an_offset_is_UTC()
    {
        var unspecified = DateTime.SpecifyKind(T0.AddHours(1), DateTimeKind.Unspecified);
        var asUtc = await PageAsync(new AuditFilter(From: T0.AddHours(1)));

        var page = await PageAsync(new AuditFilter(From: unspecified));

        Assert.Equal(Names(asUtc), Names(page));
        Assert.Equal(["r5", "r4", "r3", "r2"], Names(page));
        Assert.Equal(T0.AddHours(1), AuditQuery.Utc(unspecified));
        Assert.Equal(DateTimeKind.Utc, AuditQuery.Utc(unspecified).Kind);
    }

    [Fact]
    public async Task Sorts_by_action_user_and_outcome_with_ties_newest_first()
    {
        // access.denied < media.read (r4 newer than r1) < photo.create < rate_limited
        Assert.Equal(["r2", "r4", "r1", "r3", "r5"], Names(await PageAsync(AuditFilter.None, AuditSort.Action, descending: false)));
        Assert.Equal(["r5", "r3", "r4", "r1", "r2"], Names(await PageAsync(AuditFilter.None, AuditSort.Action, descending: true)));

        // No user first, then Ada Okafor, Dr. Ravi Menon, Nora Lindqvist (r2 newer than r1).
        Assert.Equal(["r5", "r3", "r4", "r2", "r1"], Names(await PageAsync(AuditFilter.None, AuditSort.User, descending: false)));

        // Refused first when ascending (false < true), newest first inside each group.
        Assert.Equal(["r5", "r4", "r2", "r3", "r1"], Names(await PageAsync(AuditFilter.None, AuditSort.Success, descending: false)));

        Assert.Equal(["r1", "r2", "r3", "r4", "r5"], Names(await PageAsync(AuditFilter.None, AuditSort.At, descending: false)));
    }

    [Fact]
    public async Task Pages_with_skip_and_take_over_the_sorted_rows()
    {
        var first = await PageAsync(AuditFilter.None, skip: 0, take: 2);
        var second = await PageAsync(AuditFilter.None, skip: 2, take: 2);
        var last = await PageAsync(AuditFilter.None, skip: 4, take: 2);
        var beyond = await PageAsync(AuditFilter.None, skip: 10, take: 2);

        Assert.Equal(["r5", "r4"], Names(first));
        Assert.Equal(["r3", "r2"], Names(second));
        Assert.Equal(["r1"], Names(last));
        Assert.Empty(beyond.Rows);
        Assert.All(new[] { first, second, last, beyond }, p => Assert.Equal(5, p.Total));

        // Paging applies after filter and sort.
        Assert.Equal(["r1"], Names(await PageAsync(new AuditFilter(Action: AuditActions.MediaRead), AuditSort.At, descending: true, skip: 1, take: 1)));
        Assert.Equal(["r4"], Names(await PageAsync(AuditFilter.None, AuditSort.Action, descending: false, skip: 1, take: 1)));

        // Out-of-range arguments are cut to fit: at least one row, never a negative skip.
        Assert.Equal(["r5"], Names(await PageAsync(AuditFilter.None, skip: -3, take: 0)));
    }

    [Fact]
    public async Task Stream_reads_every_filtered_row_newest_first()
    {
        var streamed = await _host.WithAsync<AuditQuery, List<AuditRow>>(async q =>
        {
            var rows = new List<AuditRow>();
            await foreach (var row in q.StreamAsync(new AuditFilter(Success: false)))
                rows.Add(row);
            return rows;
        });

        Assert.Equal(["r5", "r4", "r2"], streamed.Select(r => r.Details));
        Assert.Equal([_ids["r5"], _ids["r4"], _ids["r2"]], streamed.Select(r => r.Id));
        Assert.Equal("Dr. Ravi Menon", streamed[1].UserName);
    }

    [Fact]
    public async Task Pickers_list_users_by_name_and_find_patients_of_every_ward()
    {
        var users = await _host.WithAsync<AuditQuery, IReadOnlyList<AuditPick>>(q => q.UsersAsync());
        Assert.Equal(["Ada Okafor", "Dr. Ravi Menon", "Nora Lindqvist", "Tomás Ferreira"], users.Select(u => u.Name));

        // Any ward (the audit is not limited to the admin's), case-insensitive; a LIKE wildcard is taken literally.
        var found = await _host.WithAsync<AuditQuery, IReadOnlyList<AuditPick>>(q => q.FindPatientsAsync("okoro"));
        Assert.Equal(["Samuel Okoro"], found.Select(p => p.Name));
        Assert.Equal("Medical Ward 2A", found[0].Detail);
        Assert.Empty(await _host.WithAsync<AuditQuery, IReadOnlyList<AuditPick>>(q => q.FindPatientsAsync("%")));
        Assert.Equal(7, (await _host.WithAsync<AuditQuery, IReadOnlyList<AuditPick>>(q => q.FindPatientsAsync(""))).Count);
    }
}
