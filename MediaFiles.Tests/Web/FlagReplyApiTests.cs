using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaFiles.Core.Audit;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>POST /api/events/{id}/flag/replies and /flag/resolve: who may, another ward's entry, the feed's openFlags.</summary>
public sealed class FlagReplyApiTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    [Fact]
    public async Task A_nurse_replies_and_resolves_a_flag_a_reviewer_may_only_resolve_another_ward_gets_404()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var nurse2A = await app.SignInAsync("nurse-2a");
        using var reviewer = await app.SignInAsync("reviewer");
        var jonas = await nurse.PatientIdAsync("Jonas Weber");
        var (photo, _) = await nurse.AddPhotoAsync(jonas, TestUploads.UniqueJpeg(), "heel.jpg", "Heel");
        using (var flagged = await reviewer.PostJsonAsync($"/api/events/{photo}/review", new { kind = 2, note = "Edges look red" }))
            await SignedInClient.ExpectAsync(flagged, HttpStatusCode.OK);

        using (var byReviewer = await reviewer.PostJsonAsync($"/api/events/{photo}/flag/replies", new { text = "Fine" }))
            Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        using (var otherWard = await nurse2A.PostJsonAsync($"/api/events/{photo}/flag/replies", new { text = "Not mine" }))
            Assert.Equal(HttpStatusCode.NotFound, otherWard.StatusCode);
        using (var otherWardResolve = await nurse2A.PostJsonAsync($"/api/events/{photo}/flag/resolve", new { }))
            Assert.Equal(HttpStatusCode.NotFound, otherWardResolve.StatusCode);
        using (var empty = await nurse.PostJsonAsync($"/api/events/{photo}/flag/replies", new { text = " " }))
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using (var withoutToken = await nurse.SendAsync(HttpMethod.Post, $"/api/events/{photo}/flag/replies", JsonContent.Create(new { text = "x" }), withToken: false))
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        using (var replied = await nurse.PostJsonAsync($"/api/events/{photo}/flag/replies", new { text = "Re-photographed in daylight" }))
        {
            await SignedInClient.ExpectAsync(replied, HttpStatusCode.OK);
            var state = await replied.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web);
            var reply = Assert.Single(state.GetProperty("replies").EnumerateArray());
            Assert.Equal(("Re-photographed in daylight", "Nora Lindqvist"), (reply.GetProperty("text").GetString(), reply.GetProperty("authorName").GetString()));
            Assert.True(state.GetProperty("isOpenFlag").GetBoolean());
        }
        var open = await reviewer.GetJsonAsync<JsonElement>($"/api/review/feed?patientId={jonas}&openFlags=true");
        Assert.Equal(photo, Assert.Single(open.EnumerateArray()).GetProperty("item").GetProperty("eventId").GetGuid());

        using (var resolved = await reviewer.PostJsonAsync($"/api/events/{photo}/flag/resolve", new { }))
        {
            await SignedInClient.ExpectAsync(resolved, HttpStatusCode.OK);
            var state = await resolved.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web);
            Assert.Equal("Dr. Ravi Menon", state.GetProperty("resolvedByName").GetString());
        }
        using (var again = await nurse.PostJsonAsync($"/api/events/{photo}/flag/resolve", new { }))
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Empty((await reviewer.GetJsonAsync<JsonElement>($"/api/review/feed?patientId={jonas}&openFlags=true")).EnumerateArray());

        var review = (await nurse.GetJsonAsync<JsonElement>($"/api/patients/{jonas}/timeline")).EnumerateArray()
            .Single(i => i.GetProperty("eventId").GetGuid() == photo).GetProperty("review");
        Assert.Equal(("Edges look red", "Dr. Ravi Menon", 1), (review.GetProperty("note").GetString(), review.GetProperty("resolvedByName").GetString(), review.GetProperty("replies").GetArrayLength()));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.FlagReply && a.EventId == photo)));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.FlagResolve && a.EventId == photo)));
    }
}
