using MediaFiles.Core.Audit;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Web.Endpoints;

/// <summary>Reading the audit trail: admins only. Newest first, filtered and paged.</summary>
public static class AuditApi
{
    public const int MaxPageSize = 500;

    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", GetAsync)
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithSummary("Audit rows, newest first: filter by user, action, patient, outcome and time; page and pageSize (≤ 500).");
    }

    /// <summary>A time without an offset is UTC, as everywhere in the API.</summary>
    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime();

    public sealed record AuditPage(int Total, IReadOnlyList<AuditEntry> Rows);

    public static async Task<Ok<AuditPage>> GetAsync(MediaFilesDbContext db, Guid? userId, string? action, Guid? patientId, bool? success,
        DateTime? from, DateTime? to, int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (userId is { } u) query = query.Where(a => a.UserId == u);
        if (!string.IsNullOrWhiteSpace(action)) query = query.Where(a => a.Action == action);
        if (patientId is { } p) query = query.Where(a => a.PatientId == p);
        if (success is { } s) query = query.Where(a => a.Success == s);
        if (from is { } f) query = query.Where(a => a.At >= Utc(f));
        if (to is { } t) query = query.Where(a => a.At < Utc(t));
        var size = Math.Clamp(pageSize ?? 100, 1, MaxPageSize);
        var skip = Math.Max(0, (page ?? 1) - 1) * size;
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(a => a.Id).Skip(skip).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new AuditPage(total, rows));
    }
}
