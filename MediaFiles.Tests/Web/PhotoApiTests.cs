using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>/api/patients and /api/photos: attach a staged upload, read the timeline, edit and delete.</summary>
public sealed class PhotoApiTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    [Fact]
    public async Task Attaching_a_staged_upload_creates_a_photo_and_hands_over_its_reference()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Helena Marsh");
        var upload = await nurse.UploadAsync(TestUploads.UniqueJpeg(), "heel.jpg");
        var when = DateTime.UtcNow.AddHours(-2);

        using var response = await nurse.PostJsonAsync($"/api/patients/{patientId}/photos",
            new { upload.UploadId, description = "  Pressure ulcer, left heel  ", eventDateTime = when });

        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var created = (await response.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/photos/{created}", response.Headers.Location?.OriginalString);

        var photo = await app.DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == created));
        Assert.Equal(patientId, photo.PatientId);
        Assert.Equal(upload.MediaFileId, photo.MediaFileId);
        Assert.Equal(EventType.Photo, photo.EventType);
        Assert.Equal("Pressure ulcer, left heel", photo.Description);
        Assert.Equal(when, photo.EventDateTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal(await app.UserIdAsync("nurse"), photo.CreatedById);

        Assert.False(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)));
        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == upload.MediaFileId));
        Assert.Equal(1, media.ReferenceCount);
        Assert.Null(media.StagedById);

        var detail = await nurse.GetJsonAsync<JsonElement>($"/api/photos/{created}");
        Assert.Equal("Helena Marsh", detail.GetProperty("patientName").GetString());
        Assert.True(detail.GetProperty("canEdit").GetBoolean());
        Assert.Equal("heel.jpg", detail.GetProperty("originalFilename").GetString());
    }

    [Fact]
    public async Task Timeline_lists_the_patients_photos_newest_event_first()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Jonas Weber");
        var now = DateTime.UtcNow;
        var (oldest, _) = await nurse.AddPhotoAsync(patientId, TestUploads.UniqueJpeg(), "a.jpg", "three hours ago", now.AddHours(-3));
        var (newest, _) = await nurse.AddPhotoAsync(patientId, TestUploads.UniqueJpeg(), "b.jpg", "one hour ago", now.AddHours(-1));
        var (middle, _) = await nurse.AddPhotoAsync(patientId, TestUploads.UniqueJpeg(), "c.jpg", "two hours ago", now.AddHours(-2));

        var timeline = await nurse.TimelineAsync(patientId);

        Assert.Equal([newest, middle, oldest], timeline.Select(t => t.EventId));
        Assert.Equal(["one hour ago", "two hours ago", "three hours ago"], timeline.Select(t => t.Description));
        Assert.All(timeline, t => Assert.Equal("Nora Lindqvist", t.CreatedByName));
        var patients = await nurse.GetJsonAsync<List<PatientReply>>("/api/patients?search=Jonas");
        Assert.Equal(3, Assert.Single(patients).MediaCount);
    }

    [Fact]
    public async Task Patient_search_and_timeline_stay_within_the_users_wards_plus_the_hospitals_discharged_patients()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var otherWard = await app.SignInAsync("nurse-2a");
        var helena = await nurse.PatientIdAsync("Helena Marsh");
        var lucia = await nurse.PatientIdAsync("Lucía Romero");

        var seenByOtherWard = await otherWard.GetJsonAsync<List<PatientReply>>("/api/patients");
        using var timeline = await otherWard.Http.GetAsync($"/api/patients/{helena}/timeline");

        // Their own inpatients, and the discharged patient of the other ward of the same hospital;
        // not that ward's inpatients or its emergency.
        Assert.Equal(["Samuel Okoro", "Ingrid Halvorsen", "Lucía Romero"], seenByOtherWard.Select(p => p.Name));
        Assert.Equal(["Medical Ward 2A", "Medical Ward 2A", "Surgical Ward 3B"], seenByOtherWard.Select(p => p.Ward));
        Assert.Empty(await otherWard.GetJsonAsync<List<PatientReply>>("/api/patients?search=Helena"));
        Assert.Empty(await otherWard.GetJsonAsync<List<PatientReply>>("/api/patients?search=Amara"));
        Assert.Equal(HttpStatusCode.NotFound, timeline.StatusCode);
        using (var discharged = await otherWard.Http.GetAsync($"/api/patients/{lucia}/timeline"))
            await SignedInClient.ExpectAsync(discharged, HttpStatusCode.OK);
        Assert.Contains("Helena Marsh", (await nurse.GetJsonAsync<List<PatientReply>>("/api/patients")).Select(p => p.Name));
    }

    [Fact]
    public async Task A_ward_of_another_hospital_sees_neither_the_inpatients_nor_the_discharged_patients()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var otherWard = await app.SignInAsync("nurse-2a");
        using var otherHospital = await app.SignInAsync(await AddWardOfAnotherHospitalAsync("nurse-mercy-photos", "Wren Abbott"));
        var helena = await nurse.PatientIdAsync("Helena Marsh");
        var lucia = await nurse.PatientIdAsync("Lucía Romero");
        var (photoId, _) = await nurse.AddPhotoAsync(lucia, TestUploads.UniqueJpeg(), "discharge.jpg", "at discharge");

        // Only its own discharged patient; the St. Elsewhere wards do not see that one either.
        Assert.Equal(["Wren Abbott"], (await otherHospital.GetJsonAsync<List<PatientReply>>("/api/patients")).Select(p => p.Name));
        Assert.Empty(await otherHospital.GetJsonAsync<List<PatientReply>>("/api/patients?search=Romero"));
        Assert.Empty(await otherWard.GetJsonAsync<List<PatientReply>>("/api/patients?search=Wren"));
        Assert.Empty(await nurse.GetJsonAsync<List<PatientReply>>("/api/patients?search=Wren"));
        foreach (var url in new[] { $"/api/patients/{lucia}/timeline", $"/api/patients/{helena}/timeline", $"/api/photos/{photoId}" })
        {
            using var response = await otherHospital.Http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url} answered {(int)response.StatusCode}");
        }

        // The other ward of the same hospital sees the photo, but may not change it.
        var detail = await otherWard.GetJsonAsync<JsonElement>($"/api/photos/{photoId}");
        Assert.Equal("at discharge", detail.GetProperty("description").GetString());
        Assert.False(detail.GetProperty("canEdit").GetBoolean());
        Assert.Contains(photoId, (await otherWard.TimelineAsync(lucia)).Select(t => t.EventId));
    }

    [Fact]
    public async Task Attaching_to_a_patient_of_another_ward_is_404_and_keeps_the_upload_staged()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var otherWard = await app.SignInAsync("nurse-2a");
        var helena = await nurse.PatientIdAsync("Helena Marsh");
        var upload = await otherWard.UploadAsync(TestUploads.UniqueJpeg(), "x.jpg");

        using var response = await otherWard.PostJsonAsync($"/api/patients/{helena}/photos", new { upload.UploadId });

        await SignedInClient.ExpectAsync(response, HttpStatusCode.NotFound);
        Assert.True(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)));
        Assert.False(await app.DbAsync(db => db.Photos.AnyAsync(p => p.MediaFileId == upload.MediaFileId)));
    }

    [Fact]
    public async Task An_upload_is_attached_once_and_only_by_its_uploader()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var admin = await app.SignInAsync("admin");
        using var reviewer = await app.SignInAsync("reviewer");
        var patientId = await nurse.PatientIdAsync("Amara Nwosu");
        var upload = await nurse.UploadAsync(TestUploads.UniqueJpeg(), "once.jpg");

        // The admin may add photos to this patient, but not someone else's upload.
        using var byOther = await admin.PostJsonAsync($"/api/patients/{patientId}/photos", new { upload.UploadId });
        await SignedInClient.ExpectAsync(byOther, HttpStatusCode.NotFound);
        // A reviewer adds no photos at all.
        using var byReviewer = await reviewer.PostJsonAsync($"/api/patients/{patientId}/photos", new { upload.UploadId });
        await SignedInClient.ExpectAsync(byReviewer, HttpStatusCode.Forbidden);
        Assert.Equal("Your role cannot add photos.", (await byReviewer.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);
        Assert.True(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)));

        await nurse.CreatePhotoAsync(patientId, upload.UploadId);
        using var again = await nurse.PostJsonAsync($"/api/patients/{patientId}/photos", new { upload.UploadId });

        await SignedInClient.ExpectAsync(again, HttpStatusCode.NotFound);
        Assert.Equal(1, await app.DbAsync(db => db.Photos.CountAsync(p => p.MediaFileId == upload.MediaFileId)));
        Assert.Equal(1, await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId).Select(m => m.ReferenceCount).SingleAsync()));
    }

    [Fact]
    public async Task Event_time_in_the_future_is_refused_with_400()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Amara Nwosu");
        var upload = await nurse.UploadAsync(TestUploads.UniqueJpeg(), "future.jpg");

        using var response = await nurse.PostJsonAsync($"/api/patients/{patientId}/photos",
            new { upload.UploadId, eventDateTime = DateTime.UtcNow.AddHours(1) });

        await SignedInClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("The event time is in the future: pick a time up to now.", problem.Detail);
        Assert.True(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)));
    }

    [Fact]
    public async Task Creator_edits_description_and_time_but_a_reviewer_gets_403()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        var patientId = await nurse.PatientIdAsync("Pieter de Vries");
        var (photoId, _) = await nurse.AddPhotoAsync(patientId, TestUploads.UniqueJpeg(), "edit.jpg", "before");
        var newTime = DateTime.UtcNow.AddDays(-1);

        using var byReviewer = await reviewer.PatchJsonAsync($"/api/photos/{photoId}", new { description = "by reviewer", eventDateTime = newTime });
        await SignedInClient.ExpectAsync(byReviewer, HttpStatusCode.Forbidden);
        var problem = (await byReviewer.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("Only the person who added this photo (or an admin) can change it.", problem.Detail);
        Assert.Equal("before", (await nurse.GetJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("description").GetString());

        using var byCreator = await nurse.PatchJsonAsync($"/api/photos/{photoId}", new { description = "after", eventDateTime = newTime });

        await SignedInClient.ExpectAsync(byCreator, HttpStatusCode.NoContent);
        var photo = await app.DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == photoId));
        Assert.Equal("after", photo.Description);
        Assert.Equal(newTime, photo.EventDateTime, TimeSpan.FromMilliseconds(1));
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.PhotoUpdate && a.EventId == photoId)));
    }

    [Fact]
    public async Task An_admin_edits_and_deletes_someone_elses_photo_after_the_24_hours_that_lock_its_creator_out()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var admin = await app.SignInAsync("admin");
        var patientId = await nurse.PatientIdAsync("Pieter de Vries");
        var (photoId, upload) = await nurse.AddPhotoAsync(patientId, TestUploads.UniqueJpeg(), "old.jpg", "nurse's");
        // Added 25 hours ago.
        var addedAt = DateTime.UtcNow.AddHours(-25);
        await app.DbAsync(db => db.Photos.Where(p => p.Id == photoId).ExecuteUpdateAsync(u => u.SetProperty(p => p.CreatedAt, addedAt)));
        var newTime = DateTime.UtcNow.AddDays(-3);

        using (var byCreator = await nurse.PatchJsonAsync($"/api/photos/{photoId}", new { description = "too late", eventDateTime = newTime }))
        {
            await SignedInClient.ExpectAsync(byCreator, HttpStatusCode.Forbidden);
            Assert.Equal("Photos can be changed for 24 hours after they are added; this one is locked.",
                (await byCreator.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);
        }
        Assert.False((await nurse.GetJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("canEdit").GetBoolean());
        Assert.True((await admin.GetJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("canEdit").GetBoolean());

        using (var byAdmin = await admin.PatchJsonAsync($"/api/photos/{photoId}", new { description = "fixed by the admin", eventDateTime = newTime }))
            await SignedInClient.ExpectAsync(byAdmin, HttpStatusCode.NoContent);
        var photo = await app.DbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == photoId));
        Assert.Equal("fixed by the admin", photo.Description);
        Assert.Equal(newTime, photo.EventDateTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal((await app.UserIdAsync("nurse"), await app.UserIdAsync("admin")), (photo.CreatedById, photo.UpdatedById));

        using (var deleted = await admin.SendAsync(HttpMethod.Delete, $"/api/photos/{photoId}"))
            await SignedInClient.ExpectAsync(deleted, HttpStatusCode.NoContent);
        Assert.False(await app.DbAsync(db => db.Photos.AnyAsync(p => p.Id == photoId)));
        await app.PurgeDeletedAsync();
        Assert.False(await app.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == upload.MediaFileId)));
        var adminId = await app.UserIdAsync("admin");
        Assert.True(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.PhotoDelete && a.EventId == photoId && a.UserId == adminId)));
    }

    [Fact]
    public async Task Edit_without_antiforgery_token_is_refused()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Pieter de Vries");
        var (photoId, _) = await nurse.AddPhotoAsync(patientId, TestUploads.UniqueJpeg(), "csrf.jpg", "kept");

        using var response = await nurse.SendAsync(HttpMethod.Delete, $"/api/photos/{photoId}", withToken: false);

        await SignedInClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.True(await app.DbAsync(db => db.Photos.AnyAsync(p => p.Id == photoId)));
    }

    [Fact]
    public async Task Creator_deletes_a_photo_and_its_files_go_but_a_reviewer_gets_403()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        var patientId = await nurse.PatientIdAsync("Lucía Romero");
        var (photoId, upload) = await nurse.AddPhotoAsync(patientId, TestUploads.UniqueJpeg(), "delete.jpg");
        var path = await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId).Select(m => m.FilePath).SingleAsync());
        Assert.True(File.Exists(app.FullPath(path)));

        using var byReviewer = await reviewer.SendAsync(HttpMethod.Delete, $"/api/photos/{photoId}");
        await SignedInClient.ExpectAsync(byReviewer, HttpStatusCode.Forbidden);
        Assert.True(await app.DbAsync(db => db.Photos.AnyAsync(p => p.Id == photoId)));

        using var byCreator = await nurse.SendAsync(HttpMethod.Delete, $"/api/photos/{photoId}");

        await SignedInClient.ExpectAsync(byCreator, HttpStatusCode.NoContent);
        Assert.False(await app.DbAsync(db => db.Photos.AnyAsync(p => p.Id == photoId)));
        await app.PurgeDeletedAsync();
        Assert.False(await app.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == upload.MediaFileId)));
        Assert.DoesNotContain(app.StoredFiles(), f => f.Contains(upload.MediaFileId.ToString("D"), StringComparison.Ordinal));
        Assert.DoesNotContain(photoId, (await nurse.TimelineAsync(patientId)).Select(t => t.EventId));
        using var gone = await nurse.Http.GetAsync($"/api/photos/{photoId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Deleting_one_of_two_photos_sharing_a_file_keeps_the_file()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Lucía Romero");
        var bytes = TestUploads.UniqueJpeg();
        var (first, upload) = await nurse.AddPhotoAsync(patientId, bytes, "shared.jpg");
        var (second, again) = await nurse.AddPhotoAsync(patientId, bytes, "shared-again.jpg");
        Assert.Equal(upload.MediaFileId, again.MediaFileId);

        using var response = await nurse.SendAsync(HttpMethod.Delete, $"/api/photos/{first}");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.NoContent);
        await app.PurgeDeletedAsync();
        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == upload.MediaFileId));
        Assert.Equal(1, media.ReferenceCount);
        Assert.True(File.Exists(app.FullPath(media.FilePath)));
        using var stillServed = await nurse.Http.GetAsync($"/media/{media.Id}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, stillServed.StatusCode);
        Assert.Contains(second, (await nurse.TimelineAsync(patientId)).Select(t => t.EventId));
    }

    /// <summary>
    /// A ward of another hospital with one ward-staff user and one discharged patient of its own;
    /// returns the subject to sign in as.
    /// </summary>
    private async Task<string> AddWardOfAnotherHospitalAsync(string subject, string patientName)
    {
        await app.DbAsync(db =>
        {
            var ward = new Ward { Name = "Ward 1 North", Hospital = "Mercy County Hospital" };
            db.Users.Add(new AppUser { Subject = subject, DisplayName = "Mercy Nurse", Role = Roles.WardStaff, Wards = [ward] });
            db.Patients.Add(new Patient { Name = patientName, Mrn = "TEST-" + Guid.NewGuid().ToString("N")[..8], Birthday = new DateOnly(1984, 2, 11), Status = PatientStatus.Discharged, Ward = ward });
            return db.SaveChangesAsync();
        });
        return subject;
    }
}
