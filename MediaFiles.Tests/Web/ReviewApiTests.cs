using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Events;
using MediaFiles.Core.Review;
using MediaFiles.Core.Trash;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Web;

/// <summary>The review feed and marks, the trash and restore, and uploads named for a patient, over HTTP.</summary>
public sealed class ReviewApiTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    [Fact]
    public async Task An_upload_for_a_patient_is_checked_first_audited_with_the_patient_and_shown_to_reviewers()
    {
        using var nurse = await app.SignInAsync("nurse");
        var helena = await nurse.PatientIdAsync("Helena Marsh");
        using var admin = await app.SignInAsync("admin");
        var otherWard = await admin.PatientIdAsync("Samuel Okoro");
        var seen = new ConcurrentQueue<IngestActivity>();
        using var _ = app.Services.GetRequiredService<IMediaEventBus>().Subscribe<IngestActivity>(a => { seen.Enqueue(a); return Task.CompletedTask; });
        var before = await app.SnapshotAsync();

        using (var refused = await nurse.Http.SendAsync(SignedInClient.UploadRequest(new ByteArrayContent(TestUploads.UniqueJpeg()), "x.jpg", "image/jpeg", nurse.Token,
                   Guid.NewGuid(), "k0", ["patient=" + otherWard])))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("No such patient on your ward.", await refused.Content.ReadAsStringAsync());
        }
        (await app.SnapshotAsync()).AssertSameAs(before);
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.MediaUpload && !a.Success && a.Details == "patient" && a.PatientId == otherWard)));

        var batch = Guid.NewGuid();
        using (var ok = await nurse.Http.SendAsync(SignedInClient.UploadRequest(new ByteArrayContent(TestUploads.UniqueJpeg()), "heel.jpg", "image/jpeg", nurse.Token,
                   batch, "k1", ["patient=" + helena])))
            await SignedInClient.ExpectAsync(ok, HttpStatusCode.Created);

        Assert.Equal([UploadStage.Receiving, UploadStage.Checking, UploadStage.Variants, UploadStage.Saved],
            seen.Where(a => a.BatchId == batch).Select(a => a.Stage).Distinct());
        Assert.All(seen.Where(a => a.BatchId == batch), a => Assert.Equal((helena, "k1", false), (a.PatientId, a.FileKey, a.IsVideo)));
        Assert.DoesNotContain(seen, a => a.PatientId == otherWard);
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.MediaUpload && a.Success && a.PatientId == helena)));
    }

    [Fact]
    public async Task A_reviewer_reads_the_feed_and_flags_an_entry_ward_staff_may_not()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        var jonas = await nurse.PatientIdAsync("Jonas Weber");
        var (photo, _) = await nurse.AddPhotoAsync(jonas, TestUploads.UniqueJpeg(), "sacrum.jpg", "Sacrum");

        var feed = await reviewer.GetJsonAsync<JsonElement>($"/api/review/feed?patientId={jonas}&notReviewed=true");
        var entry = Assert.Single(feed.EnumerateArray());
        Assert.Equal(photo, entry.GetProperty("item").GetProperty("eventId").GetGuid());
        Assert.Equal(("Jonas Weber", "Surgical Ward 3B"), (entry.GetProperty("patientName").GetString(), entry.GetProperty("wardName").GetString()));
        using (var forStaff = await nurse.Http.GetAsync("/api/review/feed"))
            Assert.Equal(HttpStatusCode.Forbidden, forStaff.StatusCode);

        using (var noNote = await reviewer.PostJsonAsync($"/api/events/{photo}/review", new { kind = 2 }))
            Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        using (var byNurse = await nurse.PostJsonAsync($"/api/events/{photo}/review", new { kind = 1 }))
            Assert.Equal(HttpStatusCode.Forbidden, byNurse.StatusCode);
        using (var withoutToken = await reviewer.SendAsync(HttpMethod.Post, $"/api/events/{photo}/review", JsonContent.Create(new { kind = 1 }), withToken: false))
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        using (var flagged = await reviewer.PostJsonAsync($"/api/events/{photo}/review", new { kind = 2, note = "Photograph again" }))
        {
            await SignedInClient.ExpectAsync(flagged, HttpStatusCode.OK);
            var state = await flagged.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web);
            Assert.Equal(("Photograph again", "Dr. Ravi Menon"), (state.GetProperty("note").GetString(), state.GetProperty("reviewerName").GetString()));
        }

        var timeline = await nurse.GetJsonAsync<JsonElement>($"/api/patients/{jonas}/timeline");
        var review = timeline.EnumerateArray().Single(i => i.GetProperty("eventId").GetGuid() == photo).GetProperty("review");
        Assert.Equal((2, "Photograph again"), (review.GetProperty("kind").GetInt32(), review.GetProperty("note").GetString()));
        Assert.Empty((await reviewer.GetJsonAsync<JsonElement>($"/api/review/feed?patientId={jonas}&notReviewed=true")).EnumerateArray());
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == ReviewService.FlaggedAction && a.EventId == photo)));
    }

    [Fact]
    public async Task Only_an_admin_lists_the_trash_reads_a_deleted_file_and_restores()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var admin = await app.SignInAsync("admin");
        var amara = await nurse.PatientIdAsync("Amara Nwosu");
        var (photo, upload) = await nurse.AddPhotoAsync(amara, TestUploads.UniqueJpeg(), "arm.jpg", "Arm");
        using (var deleted = await nurse.SendAsync(HttpMethod.Delete, $"/api/photos/{photo}"))
            await SignedInClient.ExpectAsync(deleted, HttpStatusCode.NoContent);

        using (var nurseRead = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail"))
            Assert.Equal(HttpStatusCode.NotFound, nurseRead.StatusCode);
        using (var adminRead = await admin.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail"))
            Assert.Equal(HttpStatusCode.OK, adminRead.StatusCode);
        using (var nurseTrash = await nurse.Http.GetAsync("/api/trash"))
            Assert.Equal(HttpStatusCode.Forbidden, nurseTrash.StatusCode);
        await PastTheUndoWindowAsync(photo); // the deleter's own undo is the next test
        using (var nurseRestore = await nurse.SendAsync(HttpMethod.Post, $"/api/events/{photo}/restore"))
            Assert.Equal(HttpStatusCode.Forbidden, nurseRestore.StatusCode);

        var trash = await admin.GetJsonAsync<JsonElement>("/api/trash");
        var item = trash.EnumerateArray().Single(i => i.GetProperty("eventId").GetGuid() == photo);
        Assert.Equal(("Amara Nwosu", "Nora Lindqvist"), (item.GetProperty("patientName").GetString(), item.GetProperty("deletedByName").GetString()));

        using (var restored = await admin.SendAsync(HttpMethod.Post, $"/api/events/{photo}/restore"))
            await SignedInClient.ExpectAsync(restored, HttpStatusCode.NoContent);
        Assert.Contains(photo, (await nurse.TimelineAsync(amara)).Select(t => t.EventId));
        using (var again = await admin.SendAsync(HttpMethod.Post, $"/api/events/{photo}/restore"))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == DeletedEvents.RestoreAction && a.EventId == photo)));
    }

    [Fact]
    public async Task The_deleter_undoes_through_the_restore_endpoint_within_the_undo_window_only()
    {
        using var nurse = await app.SignInAsync("nurse");
        var amara = await nurse.PatientIdAsync("Amara Nwosu");
        var (undone, _) = await nurse.AddPhotoAsync(amara, TestUploads.UniqueJpeg(), "heel.jpg", "Heel");
        var (late, _) = await nurse.AddPhotoAsync(amara, TestUploads.UniqueJpeg(), "toe.jpg", "Toe");
        foreach (var photo in new[] { undone, late })
            using (var deleted = await nurse.SendAsync(HttpMethod.Delete, $"/api/photos/{photo}"))
                await SignedInClient.ExpectAsync(deleted, HttpStatusCode.NoContent);

        using (var undo = await nurse.SendAsync(HttpMethod.Post, $"/api/events/{undone}/restore"))
            await SignedInClient.ExpectAsync(undo, HttpStatusCode.NoContent);
        Assert.Contains(undone, (await nurse.TimelineAsync(amara)).Select(t => t.EventId));
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == DeletedEvents.RestoreAction && a.EventId == undone && a.Details == "undo")));

        await PastTheUndoWindowAsync(late);
        using (var tooLate = await nurse.SendAsync(HttpMethod.Post, $"/api/events/{late}/restore"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, tooLate.StatusCode);
            Assert.Contains("Too late to undo", await tooLate.Content.ReadAsStringAsync());
        }
        Assert.DoesNotContain(late, (await nurse.TimelineAsync(amara)).Select(t => t.EventId));
    }

    private Task<int> PastTheUndoWindowAsync(Guid eventId) =>
        app.DbAsync(db => db.Events.IgnoreQueryFilters().Where(e => e.Id == eventId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DeletedAt, e => e.DeletedAt!.Value.AddMinutes(-1))));
}
