using System.Net;
using System.Net.Http.Json;
using MediaFiles.Core.Audit;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>
/// A user of ward A holding the right ids of ward B's patient, photo, series and files gets
/// nothing: every read, list, download, ZIP, reorder, edit and delete answers 404 without the bytes,
/// and every attempt is audited. Reading the audit trail itself is for admins only.
/// </summary>
public sealed class IdorTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    private sealed record Created(Guid Id);

    [Fact]
    public async Task Another_wards_user_with_the_right_ids_gets_nothing_and_every_attempt_is_audited()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync("Helena Marsh");
        var (photoId, photoUpload) = await nurse.AddPhotoAsync(patient, TestUploads.UniqueJpeg(), "heel.jpg");
        var s1 = await UploadSeriesFileAsync(nurse);
        var s2 = await UploadSeriesFileAsync(nurse);
        var seriesResponse = await nurse.PostJsonAsync($"/api/patients/{patient}/series", new { uploadIds = new[] { s1.UploadId, s2.UploadId }, caption = "wound" });
        await SignedInClient.ExpectAsync(seriesResponse, HttpStatusCode.Created);
        var seriesId = (await seriesResponse.Content.ReadFromJsonAsync<Created>())!.Id;
        var series = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");

        using var other = await app.SignInAsync("nurse-2a");
        var otherId = await app.UserIdAsync("nurse-2a");
        var deniedBefore = await DeniedCountAsync(otherId);
        var ownUpload = await other.UploadAsync(TestUploads.UniqueJpeg(), "mine.jpg");

        var attempts = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, $"/media/{photoUpload.MediaFileId}/original", null),
            (HttpMethod.Get, $"/media/{photoUpload.MediaFileId}/thumbnail", null),
            (HttpMethod.Get, $"/media/{s1.MediaFileId}/large", null),
            (HttpMethod.Get, $"/api/patients/{patient}/timeline", null),
            (HttpMethod.Get, $"/api/photos/{photoId}", null),
            (HttpMethod.Patch, $"/api/photos/{photoId}", new { description = "changed" }),
            (HttpMethod.Delete, $"/api/photos/{photoId}", null),
            (HttpMethod.Get, $"/api/series/{seriesId}", null),
            (HttpMethod.Get, $"/api/series/{seriesId}/zip", null),
            (HttpMethod.Post, $"/api/series/{seriesId}/moves", new { from = 2, to = 1, version = series.Version }),
            (HttpMethod.Patch, $"/api/series/{seriesId}", new { caption = "changed" }),
            (HttpMethod.Delete, $"/api/series/{seriesId}/files/{series.Items[0].Id}?version={series.Version}", null),
            (HttpMethod.Delete, $"/api/series/{seriesId}", null),
            (HttpMethod.Post, $"/api/patients/{patient}/photos", new { uploadId = ownUpload.UploadId }),
            (HttpMethod.Post, $"/api/patients/{patient}/series", new { uploadIds = new[] { ownUpload.UploadId } }),
        };
        foreach (var (method, url, body) in attempts)
        {
            var response = await other.SendAsync(method, url, body is null ? null : JsonContent.Create(body));
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{method} {url} answered {(int)response.StatusCode}");
            var type = response.Content.Headers.ContentType?.MediaType;
            Assert.False(type is "image/jpeg" or "application/zip", $"{method} {url} sent {type}");
        }

        // Listing: the patient is not even found by name.
        var found = await other.GetJsonAsync<List<PatientReply>>("/api/patients?search=Helena");
        Assert.Empty(found);

        // Nothing changed for the owner, and every attempt left an audit row.
        var after = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.Equal(series.Version, after.Version);
        Assert.Equal(series.Items.Select(i => i.Id), after.Items.Select(i => i.Id));
        await SignedInClient.ExpectAsync(await nurse.Http.GetAsync($"/api/photos/{photoId}"), HttpStatusCode.OK);
        Assert.Equal(attempts.Length, await DeniedCountAsync(otherId) - deniedBefore);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_trail()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        using var admin = await app.SignInAsync("admin");

        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.Http.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.Http.GetAsync("/api/audit")).StatusCode);
        var page = await admin.GetJsonAsync<AuditPageReply>("/api/audit?pageSize=5");
        Assert.True(page.Total > 0);
        Assert.InRange(page.Rows.Count, 1, 5);
        Assert.True(page.Rows.Zip(page.Rows.Skip(1)).All(p => p.First.Id > p.Second.Id), "newest first");
    }

    private Task<int> DeniedCountAsync(Guid userId) =>
        app.DbAsync(db => db.AuditEntries.CountAsync(a => a.UserId == userId && !a.Success
            && (a.Action == AuditActions.Denied || a.Action == AuditActions.MediaRead || a.Action == AuditActions.SeriesZip)));

    private static async Task<UploadReply> UploadSeriesFileAsync(SignedInClient client)
    {
        using var request = SignedInClient.UploadRequest(new ByteArrayContent(TestUploads.UniqueJpeg()), "step.jpg", "image/jpeg", client.Token);
        request.RequestUri = new Uri("/api/uploads?kind=series", UriKind.Relative);
        var response = await client.Http.SendAsync(request);
        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<UploadReply>())!;
    }

    private sealed record SeriesItemReply(Guid Id, int OrderIndex, Guid MediaFileId);
    private sealed record SeriesReply(Guid Id, int Version, List<SeriesItemReply> Items);
    private sealed record AuditRowReply(long Id, string Action, bool Success);
    private sealed record AuditPageReply(int Total, List<AuditRowReply> Rows);
}
