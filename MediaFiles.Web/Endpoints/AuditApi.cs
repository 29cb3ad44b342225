using System.Globalization;
using System.Text;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MediaFiles.Web.Endpoints;

/// <summary>
/// Reading the audit trail: admins only. <c>GET /api/audit</c> pages it (newest first);
/// <c>GET /api/audit/export.csv</c> streams every matching row as CSV. Both take the same filters,
/// applied by <see cref="AuditQuery"/>.
/// </summary>
public static class AuditApi
{
    public const int MaxPageSize = AuditQuery.MaxPageSize;

    /// <summary>Rows written between two flushes of the CSV, so a long export reaches the client steadily.</summary>
    public const int CsvFlushEvery = 200;

    public static readonly string[] CsvHeader =
        ["id", "at", "userId", "userName", "action", "success", "patientId", "eventId", "mediaFileId", "details", "clientAddress"];

    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        (string, string)[] filters =
        [
            ("userId", "Only rows of this user."),
            ("action", "Only this action, e.g. media.read, access.denied, sign_in."),
            ("patientId", "Only rows about this patient."),
            ("success", "true: only allowed actions; false: only refusals and failures."),
            ("from", "From this time on (UTC; a time without offset is taken as UTC)."),
            ("to", "Up to this time (UTC)."),
        ];
        app.MapGet("/api/audit", GetAsync).WithName("GetAuditPage").WithTags("Audit")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithSummary("Audit rows, newest first: filter by user, action, patient, outcome and time; page and pageSize (≤ 500).")
            .WithParameterDescriptions([.. filters, ("page", "1-based page (default 1)."), ("pageSize", "Rows per page (1–500, default 100).")])
            .Produces(StatusCodes.Status403Forbidden);
        app.MapGet("/api/audit/export.csv", ExportCsvAsync).WithName("ExportAuditCsv").WithTags("Audit")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithSummary("Every audit row matching the filters of GET /api/audit, newest first, streamed as CSV. Audited (audit.export).")
            .WithParameterDescriptions(filters)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status403Forbidden);
    }

    public static async Task<Ok<AuditPage>> GetAsync(AuditQuery query, Guid? userId, string? action, Guid? patientId, bool? success,
        DateTime? from, DateTime? to, int? page, int? pageSize, CancellationToken ct)
    {
        var size = Math.Clamp(pageSize ?? 100, 1, MaxPageSize);
        var skip = Math.Max(0, (page ?? 1) - 1) * size;
        var result = await query.PageAsync(new AuditFilter(userId, action, patientId, success, from, to), AuditSort.At, descending: true, skip, size, ct);
        return TypedResults.Ok(result);
    }

    /// <summary>
    /// Writes the CSV straight to the response while the rows are read: no list, no file. The export
    /// is audited before the first byte (an export cut short still left its row).
    /// </summary>
    public static async Task<EmptyHttpResult> ExportCsvAsync(HttpContext context, AuditQuery query, AuditLog audit, TimeProvider clock,
        Guid? userId, string? action, Guid? patientId, bool? success, DateTime? from, DateTime? to, CancellationToken ct)
    {
        var user = HttpCurrentUser.Require(context);
        var filter = new AuditFilter(userId, action, patientId, success, from, to);
        await audit.WriteAsync(AuditActions.AuditExport, user.Id, true, patientId: patientId, details: Describe(filter), ct: ct);

        var response = context.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"audit-{clock.GetUtcNow().UtcDateTime:yyyyMMdd-HHmm}.csv\"";
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ContentSecurityPolicy = MediaApi.FileCsp;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // The BOM lets spreadsheet programs read the names as UTF-8.
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n",
        };
        await WriteRecordAsync(writer, CsvHeader);
        var cells = new string?[CsvHeader.Length];
        var written = 0;
        await foreach (var row in query.StreamAsync(filter, ct))
        {
            cells[0] = row.Id.ToString(CultureInfo.InvariantCulture);
            cells[1] = IsoUtc(row.At);
            cells[2] = row.UserId?.ToString();
            cells[3] = row.UserName;
            cells[4] = row.Action;
            cells[5] = row.Success ? "true" : "false";
            cells[6] = row.PatientId?.ToString();
            cells[7] = row.EventId?.ToString();
            cells[8] = row.MediaFileId?.ToString();
            cells[9] = row.Details;
            cells[10] = row.ClientAddress;
            await WriteRecordAsync(writer, cells);
            if (++written % CsvFlushEvery == 0)
                await writer.FlushAsync(ct);
        }
        await writer.FlushAsync(ct);
        return TypedResults.Empty;
    }

    private static async Task WriteRecordAsync(StreamWriter writer, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) await writer.WriteAsync(',');
            await writer.WriteAsync(CsvCell(cells[i]));
        }
        await writer.WriteLineAsync();
    }

    /// <summary>
    /// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
    /// doubled. A value a spreadsheet would run as a formula (starting with = + - @, a tab or a
    /// carriage return) gets a leading apostrophe first, so it is shown as text.
    /// </summary>
    public static string CsvCell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
    }

    private static string IsoUtc(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The filter of an export as its audit detail: ids, codes and times only (max. 500 characters).</summary>
    private static string Describe(AuditFilter filter)
    {
        var parts = new List<string>();
        if (filter.UserId is { } u) parts.Add($"user={u}");
        if (!string.IsNullOrWhiteSpace(filter.Action)) parts.Add($"action={filter.Action.Trim()}");
        if (filter.PatientId is { } p) parts.Add($"patient={p}");
        if (filter.Success is { } s) parts.Add($"success={(s ? "true" : "false")}");
        if (filter.From is { } f) parts.Add("from=" + IsoUtc(AuditQuery.Utc(f)));
        if (filter.To is { } t) parts.Add("to=" + IsoUtc(AuditQuery.Utc(t)));
        var details = parts.Count == 0 ? "all" : string.Join(';', parts);
        return details.Length <= 500 ? details : details[..500];
    }
}
