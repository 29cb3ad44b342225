using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MediaFiles.Core.Audit;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>
/// <c>GET /api/audit/export.csv</c>: admins only, the filters of <c>GET /api/audit</c>, RFC 4180
/// quoting, no live formulas, a download with a dated name, and an audit row of its own.
/// </summary>
/// <remarks>
/// The app is shared by the tests of this class; each test writes rows under an action name of its
/// own and filters by it, so the rows of the others (and the sign-ins) never get in.
/// </remarks>
public sealed class AuditExportTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    private const string Header = "id,at,userId,userName,action,success,patientId,eventId,mediaFileId,details,clientAddress";
    private static readonly DateTime Day = new(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc);

    private static string UniqueAction(string name) => $"test.{name}.{Guid.NewGuid():N}"[..40];

    private Task AddAsync(params AuditEntry[] rows) => app.DbAsync(db =>
    {
        db.AuditEntries.AddRange(rows);
        return db.SaveChangesAsync();
    });

    private static AuditEntry Row(string action, DateTime at, string? details = null, Guid? user = null, bool success = true, Guid? patient = null) =>
        new() { Action = action, At = at, Details = details, UserId = user, Success = success, PatientId = patient, ClientAddress = "10.0.0.7" };

    private static async Task<(HttpResponseMessage Response, string Text)> ExportAsync(SignedInClient client, string query)
    {
        var response = await client.Http.GetAsync("/api/audit/export.csv" + query);
        await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "starts with the UTF-8 BOM");
        return (response, Encoding.UTF8.GetString(bytes.AsSpan(Encoding.UTF8.Preamble.Length)));
    }

    [Fact]
    public async Task Only_admins_may_export()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        using var anonymous = app.CreateCookieClient();

        var byNurse = await nurse.Http.GetAsync("/api/audit/export.csv");
        var byReviewer = await reviewer.Http.GetAsync("/api/audit/export.csv?action=sign_in");
        var byNobody = await anonymous.GetAsync("/api/audit/export.csv");

        Assert.Equal(HttpStatusCode.Forbidden, byNurse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byNobody.StatusCode);
        Assert.DoesNotContain("text/csv", byNurse.Content.Headers.ContentType?.ToString() ?? "");
        Assert.Empty(await byNurse.Content.ReadAsByteArrayAsync());
        var refused = new[] { await app.UserIdAsync("nurse"), await app.UserIdAsync("reviewer") };
        Assert.False(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.AuditExport && refused.Contains(a.UserId!.Value))));
    }

    [Fact]
    public async Task The_csv_is_an_attachment_with_a_header_and_only_the_filtered_rows_newest_first()
    {
        var action = UniqueAction("filter");
        var other = UniqueAction("other");
        var nurseId = await app.UserIdAsync("nurse");
        // Many older rows, so the export crosses several flushes of the writer.
        var bulk = Enumerable.Range(0, 450).Select(i => Row(action, Day.AddMinutes(-i - 1), $"bulk:{i}")).ToArray();
        await AddAsync(bulk);
        await AddAsync(
            Row(action, Day.AddHours(1), "first", nurseId),
            Row(action, Day.AddHours(2), "second", success: false),
            Row(other, Day.AddHours(3), "not me"));
        using var admin = await app.SignInAsync("admin");

        var (response, text) = await ExportAsync(admin, $"?action={action}");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var disposition = string.Join(",", response.Content.Headers.GetValues("Content-Disposition"));
        Assert.Matches(new Regex("^attachment; filename=\"audit-\\d{8}-\\d{4}\\.csv\"$"), disposition);
        Assert.False(response.Content.Headers.NonValidated.Contains("Content-Length"), "written as it goes, not sized up front");
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());

        Assert.StartsWith(Header + "\r\n", text);
        Assert.EndsWith("\r\n", text);
        var records = Csv.Parse(text);
        Assert.Equal(Header.Split(','), records[0]);
        var rows = records.Skip(1).ToList();
        Assert.Equal(452, rows.Count);
        Assert.All(rows, r => Assert.Equal(11, r.Count));
        Assert.All(rows, r => Assert.Equal(action, r[4]));
        Assert.DoesNotContain(rows, r => r[9] == "not me");
        Assert.Equal(["second", "first", "bulk:0", "bulk:1"], rows.Take(4).Select(r => r[9]));
        Assert.Equal("bulk:449", rows[^1][9]);

        var second = rows[0];
        Assert.Equal("2026-01-10T02:00:00.000Z", second[1]);
        Assert.Equal("", second[2]);
        Assert.Equal("false", second[5]);
        Assert.Equal("10.0.0.7", second[10]);
        var first = rows[1];
        Assert.Equal(nurseId.ToString(), first[2]);
        Assert.Equal("Nora Lindqvist", first[3]);
        Assert.Equal("true", first[5]);
        var ids = rows.Select(r => long.Parse(r[0])).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_other_filters_and_an_offsetless_time_range_apply_too()
    {
        var action = UniqueAction("range");
        var nurseId = await app.UserIdAsync("nurse");
        var patient = await app.DbAsync(db => db.Patients.Where(p => p.Name == "Jonas Weber").Select(p => p.Id).SingleAsync());
        await AddAsync(
            Row(action, Day.AddHours(8), "at 8"),
            Row(action, Day.AddHours(9), "at 9"),
            Row(action, Day.AddHours(9).AddMinutes(30), "at 9:30 refused", success: false),
            Row(action, Day.AddHours(9).AddMinutes(40), "at 9:40 nurse", nurseId),
            Row(action, Day.AddHours(9).AddMinutes(50), "at 9:50 patient", patient: patient),
            Row(action, Day.AddHours(10), "at 10"));
        using var admin = await app.SignInAsync("admin");

        // No offset: UTC. From is inclusive, to exclusive.
        var (_, range) = await ExportAsync(admin, $"?action={action}&from=2026-01-10T09:00:00&to=2026-01-10T10:00:00");
        var (_, refused) = await ExportAsync(admin, $"?action={action}&success=false");
        var (_, byNurse) = await ExportAsync(admin, $"?action={action}&userId={nurseId}");
        var (_, byPatient) = await ExportAsync(admin, $"?action={action}&patientId={patient}");
        var (_, withOffset) = await ExportAsync(admin, $"?action={action}&from={Uri.EscapeDataString("2026-01-10T10:00:00+01:00")}");

        static IEnumerable<string> Details(string csv) => Csv.Parse(csv).Skip(1).Select(r => r[9]);
        Assert.Equal(["at 9:50 patient", "at 9:40 nurse", "at 9:30 refused", "at 9"], Details(range));
        Assert.Equal(["at 9:30 refused"], Details(refused));
        Assert.Equal(["at 9:40 nurse"], Details(byNurse));
        Assert.Equal(["at 9:50 patient"], Details(byPatient));
        Assert.Equal(["at 10", "at 9:50 patient", "at 9:40 nurse", "at 9:30 refused", "at 9"], Details(withOffset));
    }

    [Fact]
    public async Task Values_with_commas_quotes_and_line_breaks_are_quoted()
    {
        var action = UniqueAction("quoting");
        await AddAsync(
            Row(action, Day.AddHours(1), "files:3, \"front\" view"),
            Row(action, Day.AddHours(2), "two\r\nlines"),
            Row(action, Day.AddHours(3), "plain:value"));
        using var admin = await app.SignInAsync("admin");

        var (_, text) = await ExportAsync(admin, $"?action={action}");

        Assert.Contains(",\"files:3, \"\"front\"\" view\",", text);
        Assert.Contains(",\"two\r\nlines\",", text);
        Assert.Contains(",plain:value,", text);
        Assert.DoesNotContain("\"plain:value\"", text);
        var rows = Csv.Parse(text).Skip(1).ToList();
        Assert.Equal(["plain:value", "two\r\nlines", "files:3, \"front\" view"], rows.Select(r => r[9]));
        Assert.All(rows, r => Assert.Equal(11, r.Count));
    }

    [Fact]
    public async Task Cells_a_spreadsheet_would_run_as_formulas_get_a_leading_apostrophe()
    {
        var action = UniqueAction("formula");
        string[] hostile = ["=HYPERLINK(\"http://x.test\",\"open\")", "+SUM(A1:A9)", "-2+3", "@cmd", "\tTAB", "\rCR"];
        await AddAsync(hostile.Select((d, i) => Row(action, Day.AddMinutes(10 - i), d))
            .Append(Row(action, Day, "a=b-c+d@e")).ToArray());
        using var admin = await app.SignInAsync("admin");

        var (_, text) = await ExportAsync(admin, $"?action={action}");

        var details = Csv.Parse(text).Skip(1).Select(r => r[9]).ToList();
        Assert.Equal(hostile.Select(d => "'" + d).Append("a=b-c+d@e"), details);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x.test\"\",\"\"open\"\")\",", text);
        Assert.Contains(",'+SUM(A1:A9),", text);
        Assert.Contains(",\"'\rCR\",", text);
        Assert.DoesNotContain(",=", text);
        Assert.DoesNotContain(",+", text);
        Assert.DoesNotContain(",@", text);
    }

    [Fact]
    public async Task The_export_is_audited_with_its_filter_and_no_names()
    {
        var action = UniqueAction("audited");
        var patient = await app.DbAsync(db => db.Patients.Where(p => p.Name == "Helena Marsh").Select(p => p.Id).SingleAsync());
        await AddAsync(Row(action, Day, "one"));
        using var admin = await app.SignInAsync("admin");
        var adminId = await app.UserIdAsync("admin");

        await ExportAsync(admin, $"?action={action}&success=false&patientId={patient}&from=2026-01-01T00:00:00Z");

        var exports = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.AuditExport && a.Details!.Contains(action)).ToListAsync());
        var export = Assert.Single(exports);
        Assert.Equal(adminId, export.UserId);
        Assert.True(export.Success);
        Assert.Equal(patient, export.PatientId);
        Assert.Equal($"action={action};patient={patient};success=false;from=2026-01-01T00:00:00.000Z", export.Details);
        Assert.DoesNotContain("Helena", export.Details);

        // And it shows in the paged API, with the admin's name joined in.
        var listed = await admin.GetJsonAsync<AuditPageReply>($"/api/audit?action={AuditActions.AuditExport}&pageSize=500");
        var row = Assert.Single(listed.Rows, r => r.Id == export.Id);
        Assert.Equal("Ada Okafor", row.UserName);
        Assert.Equal(patient, row.PatientId);
    }

    [Fact]
    public async Task The_paged_api_reads_through_the_same_filters_newest_first()
    {
        var action = UniqueAction("paged");
        var nurseId = await app.UserIdAsync("nurse");
        await AddAsync(Enumerable.Range(0, 5).Select(i => Row(action, Day.AddMinutes(i), $"n{i}", i % 2 == 0 ? nurseId : null)).ToArray());
        using var admin = await app.SignInAsync("admin");

        var page2 = await admin.GetJsonAsync<AuditPageReply>($"/api/audit?action={action}&page=2&pageSize=2");
        var nurseOnly = await admin.GetJsonAsync<AuditPageReply>($"/api/audit?action={action}&userId={nurseId}");

        Assert.Equal(5, page2.Total);
        Assert.Equal(["n2", "n1"], page2.Rows.Select(r => r.Details));
        Assert.Equal(["n4", "n2", "n0"], nurseOnly.Rows.Select(r => r.Details));
        Assert.All(nurseOnly.Rows, r => Assert.Equal("Nora Lindqvist", r.UserName));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.GetAsync("/api/audit/export.csv?userId=not-a-guid")).StatusCode);
    }

    private sealed record AuditRowReply(long Id, DateTime At, Guid? UserId, string? UserName, string Action, Guid? PatientId, bool Success, string? Details);
    private sealed record AuditPageReply(int Total, List<AuditRowReply> Rows);

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF.</summary>
    private static class Csv
    {
        public static List<List<string>> Parse(string text)
        {
            var records = new List<List<string>>();
            var record = new List<string>();
            var field = new StringBuilder();
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] == '"' && field.Length == 0)
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length) throw new FormatException("Unterminated quoted field.");
                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        field.Append(text[i++]);
                    }
                    if (i < text.Length && text[i] != ',' && text[i] != '\r') throw new FormatException($"Text after a closing quote at {i}.");
                    continue;
                }
                switch (text[i])
                {
                    case ',':
                        record.Add(field.ToString());
                        field.Clear();
                        i++;
                        break;
                    case '\r':
                        if (i + 1 >= text.Length || text[i + 1] != '\n') throw new FormatException($"A bare CR at {i}.");
                        record.Add(field.ToString());
                        field.Clear();
                        records.Add(record);
                        record = [];
                        i += 2;
                        break;
                    case '\n':
                        throw new FormatException($"A bare LF at {i}.");
                    case '"':
                        throw new FormatException($"A quote inside an unquoted field at {i}.");
                    default:
                        field.Append(text[i++]);
                        break;
                }
            }
            if (field.Length > 0 || record.Count > 0) throw new FormatException("The last record does not end in CRLF.");
            return records;
        }
    }
}
