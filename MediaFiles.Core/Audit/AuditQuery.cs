using System.Runtime.CompilerServices;
using MediaFiles.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Audit;

/// <summary>
/// Which audit rows to read. Every part is optional; the parts narrow together (AND).
/// <see cref="From"/> is inclusive and <see cref="To"/> exclusive; a time without an offset
/// (<see cref="DateTimeKind.Unspecified"/>) is UTC, a local one is converted.
/// </summary>
public sealed record AuditFilter(
    Guid? UserId = null, string? Action = null, Guid? PatientId = null, bool? Success = null, DateTime? From = null, DateTime? To = null)
{
    public static readonly AuditFilter None = new();
}

/// <summary>The columns the audit trail can be sorted by. Ties fall back to newest first.</summary>
public enum AuditSort
{
    At,
    Action,
    User,
    Success,
}

/// <summary>One audit row as the viewer and the export show it: the entry plus the user's display name (joined, never stored).</summary>
public sealed record AuditRow(
    long Id, DateTime At, Guid? UserId, string? UserName, string Action, Guid? PatientId, Guid? EventId, Guid? MediaFileId,
    bool Success, string? Details, string? ClientAddress);

public sealed record AuditPage(int Total, IReadOnlyList<AuditRow> Rows);

/// <summary>Someone or something to filter by, for the viewer's pickers.</summary>
public sealed record AuditPick(Guid Id, string Name, string? Detail = null);

/// <summary>
/// Reads the audit trail: the one place for its filter and sort rules, used by <c>GET /api/audit</c>,
/// the CSV export and the admin viewer.
/// </summary>
/// <remarks>
/// Not limited by ward and not checked here: every caller is admin-only (the endpoints require the
/// Admin role, the page is authorized for it). Reading writes no audit row; the export writes its own.
/// </remarks>
public sealed class AuditQuery(MediaFilesDbContext db)
{
    public const int MaxPageSize = 500;

    /// <summary>The audit entries that match, unordered and untracked.</summary>
    public IQueryable<AuditEntry> Filter(AuditFilter filter)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (filter.UserId is { } user) query = query.Where(a => a.UserId == user);
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(a => a.Action == action);
        }
        if (filter.PatientId is { } patient) query = query.Where(a => a.PatientId == patient);
        if (filter.Success is { } success) query = query.Where(a => a.Success == success);
        if (filter.From is { } from)
        {
            var f = Utc(from);
            query = query.Where(a => a.At >= f);
        }
        if (filter.To is { } to)
        {
            var t = Utc(to);
            query = query.Where(a => a.At < t);
        }
        return query;
    }

    /// <summary>One page of matching rows, with the total that match.</summary>
    /// <param name="take">Rows on the page, 1 to <see cref="MaxPageSize"/> (cut to fit).</param>
    public async Task<AuditPage> PageAsync(AuditFilter filter, AuditSort sortBy = AuditSort.At, bool descending = true, int skip = 0,
        int take = 100, CancellationToken ct = default)
    {
        var total = await Filter(filter).CountAsync(ct);
        var rows = await Rows(filter, sortBy, descending, Math.Max(0, skip), Math.Clamp(take, 1, MaxPageSize)).ToListAsync(ct);
        return new AuditPage(total, rows);
    }

    /// <summary>
    /// Every matching row, newest first, read one at a time from the open query (nothing is
    /// collected in memory): for the export, which writes each row as it arrives.
    /// </summary>
    public async IAsyncEnumerable<AuditRow> StreamAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var row in Rows(filter, AuditSort.At, descending: true, skip: 0, take: null).AsAsyncEnumerable().WithCancellation(ct))
            yield return row;
    }

    /// <summary>Everyone who can sign in, by display name (the viewer's user filter).</summary>
    public async Task<IReadOnlyList<AuditPick>> UsersAsync(CancellationToken ct = default) =>
        await db.Users.AsNoTracking()
            .OrderBy(u => u.DisplayName)
            .Select(u => new AuditPick(u.Id, u.DisplayName, u.Role))
            .ToListAsync(ct);

    /// <summary>Patients of every ward whose name contains the text (the viewer's patient filter; the audit is not limited by ward).</summary>
    public async Task<IReadOnlyList<AuditPick>> FindPatientsAsync(string? text, int max = 20, CancellationToken ct = default)
    {
        var query = db.Patients.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = $"%{text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(p => EF.Functions.Like(p.Name, pattern, "\\"));
        }
        return await query
            .OrderBy(p => p.Name)
            .Take(Math.Clamp(max, 1, 100))
            .Select(p => new AuditPick(p.Id, p.Name, p.Ward!.Name))
            .ToListAsync(ct);
    }

    /// <summary>The patient's name, for showing a filter picked by id.</summary>
    public Task<AuditPick?> FindPatientAsync(Guid patientId, CancellationToken ct = default) =>
        db.Patients.AsNoTracking().Where(p => p.Id == patientId)
            .Select(p => new AuditPick(p.Id, p.Name, p.Ward!.Name))
            .FirstOrDefaultAsync(ct);

    private IQueryable<AuditRow> Rows(AuditFilter filter, AuditSort sortBy, bool descending, int skip, int? take)
    {
        // Left join: a row without a user (a refused anonymous request) or of a removed user stays.
        var joined =
            from a in Filter(filter)
            join u in db.Users on a.UserId equals (Guid?)u.Id into users
            from u in users.DefaultIfEmpty()
            select new { Entry = a, UserName = u == null ? null : u.DisplayName };

        // Ties (same action, same user…) are shown newest first; the id breaks ties of the same instant.
        var ordered = (sortBy, descending) switch
        {
            (AuditSort.Action, false) => joined.OrderBy(x => x.Entry.Action).ThenByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id),
            (AuditSort.Action, true) => joined.OrderByDescending(x => x.Entry.Action).ThenByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id),
            (AuditSort.User, false) => joined.OrderBy(x => x.UserName).ThenByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id),
            (AuditSort.User, true) => joined.OrderByDescending(x => x.UserName).ThenByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id),
            (AuditSort.Success, false) => joined.OrderBy(x => x.Entry.Success).ThenByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id),
            (AuditSort.Success, true) => joined.OrderByDescending(x => x.Entry.Success).ThenByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id),
            (_, false) => joined.OrderBy(x => x.Entry.At).ThenBy(x => x.Entry.Id),
            _ => joined.OrderByDescending(x => x.Entry.At).ThenByDescending(x => x.Entry.Id),
        };

        var page = skip > 0 ? ordered.Skip(skip) : ordered;
        if (take is { } n) page = page.Take(n);
        return page.Select(x => new AuditRow(x.Entry.Id, x.Entry.At, x.Entry.UserId, x.UserName, x.Entry.Action, x.Entry.PatientId,
            x.Entry.EventId, x.Entry.MediaFileId, x.Entry.Success, x.Entry.Details, x.Entry.ClientAddress));
    }

    /// <summary>A time without an offset is UTC, as everywhere in the API; a local time is converted.</summary>
    public static DateTime Utc(DateTime t) =>
        t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime();
}
