using MediaFiles.Core;
using System.Globalization;
using MediaFiles.Core.Audit;
using MediaFiles.Web.Infrastructure;

namespace MediaFiles.Web.Components.Pages.Admin;

/// <summary>The audit page's filter bar as values, and what they mean to the query and the export.</summary>
public sealed class AuditFilters(WardClock clock)
{
    public Guid? UserId { get; set; }
    public string? Action { get; set; }
    public AuditPick? Patient { get; set; }
    public DateTime? FromDate { get; set; }
    public DateTime? ToDate { get; set; }
    public AuditPage.AuditOutcome Outcome { get; set; }

    public bool Any => UserId is not null || !string.IsNullOrEmpty(Action) || Patient is not null
        || FromDate is not null || ToDate is not null || Outcome != AuditPage.AuditOutcome.All;

    public void Clear() => (UserId, Action, Patient, FromDate, ToDate, Outcome) = (null, null, null, null, null, AuditPage.AuditOutcome.All);

    /// <summary>As the query sees it: the dates are whole ward-local days, sent as UTC instants (to exclusive).</summary>
    public AuditFilter ToQuery() => new(
        UserId,
        Action,
        Patient?.Id,
        Outcome switch { AuditPage.AuditOutcome.Success => true, AuditPage.AuditOutcome.Refused => false, _ => null },
        FromDate is { } from ? clock.ToUtc(from.Date) : null,
        ToDate is { } to ? clock.ToUtc(to.Date.AddDays(1)) : null);

    /// <summary>The export with the same filters as the grid (the endpoint takes the query of GET /api/audit).</summary>
    public string ExportHref()
    {
        var f = ToQuery();
        var query = new List<string>();
        if (f.UserId is { } u) query.Add($"userId={u}");
        if (!string.IsNullOrEmpty(f.Action)) query.Add($"action={Uri.EscapeDataString(f.Action)}");
        if (f.PatientId is { } p) query.Add($"patientId={p}");
        if (f.Success is { } s) query.Add($"success={(s ? "true" : "false")}");
        if (f.From is { } from) query.Add($"from={Uri.EscapeDataString(Iso(from))}");
        if (f.To is { } to) query.Add($"to={Uri.EscapeDataString(Iso(to))}");
        return "/api/audit/export.csv" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An id as the page shows it: its first eight hex digits (the full id in a tooltip).</summary>
    public static string Short(Guid id) => id.ToString("N")[..8];
}
