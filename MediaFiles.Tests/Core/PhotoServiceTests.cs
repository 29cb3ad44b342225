using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MediaFiles.Core.Timeline;

namespace MediaFiles.Tests.Core;

public sealed class PhotoServiceTests
{
    private const string SurgicalPatient = "Helena Marsh";     // Surgical Ward 3B
    private const string OtherSurgicalPatient = "Jonas Weber"; // Surgical Ward 3B
    private const string MedicalPatient = "Samuel Okoro";      // Medical Ward 2A
    private const string DischargedPatient = "Lucía Romero";   // Surgical Ward 3B, discharged (no bed)
    private const string EmergencyPatient = "Amara Nwosu";     // Surgical Ward 3B, emergency

    // ---------------------------------------------------------------- create

    [Fact]
    public async Task Create_hands_the_staged_reference_to_the_photo()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await StageAsync(host, nurse);
        var when = host.Clock.UtcNow.AddHours(-1);

        var photoId = await CreateAsync(host, nurse, patient, upload.UploadId, "  Wound, day 3  ", when);

        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync()));
        var media = await host.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync());
        Assert.Equal(upload.MediaFileId, media.Id);
        Assert.Null(media.StagedById);
        Assert.Null(media.StagedAt);
        Assert.Equal(1, media.ReferenceCount);

        var photo = await host.DbAsync(db => db.Photos.AsNoTracking().SingleAsync());
        Assert.Equal(photoId, photo.Id);
        Assert.Equal(EventType.Photo, photo.EventType);
        Assert.Equal(patient, photo.PatientId);
        Assert.Equal(media.Id, photo.MediaFileId);
        Assert.Equal("Wound, day 3", photo.Description);
        Assert.Equal(when, photo.EventDateTime);
        Assert.Equal((nurse.Id, nurse.Id), (photo.CreatedById, photo.UpdatedById));
        Assert.Equal(host.Clock.UtcNow, photo.CreatedAt);

        Assert.Equal(4, host.CountStoredFiles());
        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.PhotoCreate));
        Assert.Equal((nurse.Id, photoId, patient, media.Id, true), (audit.UserId, audit.EventId, audit.PatientId, audit.MediaFileId, audit.Success));
    }

    [Fact]
    public async Task Create_without_a_time_uses_now()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await StageAsync(host, nurse);

        await CreateAsync(host, nurse, patient, upload.UploadId, null, null);

        var photo = await host.DbAsync(db => db.Photos.AsNoTracking().SingleAsync());
        Assert.Equal(host.Clock.UtcNow, photo.EventDateTime);
        Assert.Equal("", photo.Description);
    }

    [Fact]
    public async Task Timeline_lists_the_patients_photos_newest_event_first()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var other = await host.PatientIdAsync(OtherSurgicalPatient);
        var now = host.Clock.UtcNow;

        var oldest = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse, 1)).UploadId, "oldest", now.AddHours(-3));
        var newest = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse, 2)).UploadId, "newest", now.AddHours(-1));
        var middle = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse, 3)).UploadId, "middle", now.AddHours(-2));
        await CreateAsync(host, nurse, other, (await StageAsync(host, nurse, 4)).UploadId, "someone else", now);

        var timeline = await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient));

        Assert.Equal(new[] { newest, middle, oldest }, timeline.Select(t => t.EventId));
        Assert.Equal(new[] { "newest", "middle", "oldest" }, timeline.Select(t => t.Description));
        var first = timeline[0];
        Assert.Equal(EventType.Photo, first.Type);
        Assert.Equal("Nora Lindqvist", first.CreatedByName);
        Assert.Equal((640, 480), (first.Width, first.Height));
        Assert.Equal("photo-2.jpg", first.OriginalFilename);
    }

    [Fact]
    public async Task Description_over_255_characters_is_refused_and_the_upload_stays_staged()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await StageAsync(host, nurse);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            CreateAsync(host, nurse, patient, upload.UploadId, new string('x', 256), null));

        Assert.Equal("The description has 256 characters: at most 255 are allowed.", refused.Message);
        Assert.False(await host.DbAsync(db => db.Photos.AnyAsync()));
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == upload.UploadId)));

        // 255 is allowed, and the surrounding blanks do not count.
        await CreateAsync(host, nurse, patient, upload.UploadId, "  " + new string('y', 255) + "  ", null);
        Assert.Equal(255, (await host.DbAsync(db => db.Photos.SingleAsync())).Description.Length);
    }

    [Fact]
    public async Task Event_time_in_the_future_is_refused_beyond_the_clock_skew()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await StageAsync(host, nurse);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            CreateAsync(host, nurse, patient, upload.UploadId, null, host.Clock.UtcNow.AddMinutes(10)));
        Assert.Contains("future", refused.Message);
        Assert.False(await host.DbAsync(db => db.Photos.AnyAsync()));

        // A phone clock a minute ahead still counts as now.
        await CreateAsync(host, nurse, patient, upload.UploadId, null, host.Clock.UtcNow.AddMinutes(1));
        Assert.True(await host.DbAsync(db => db.Photos.AnyAsync()));
    }

    [Fact]
    public async Task A_user_of_another_ward_does_not_find_the_patient()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse)).UploadId, "mine", null);
        var ownUpload = await StageAsync(host, nurse2A, seed: 9);

        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse2A, patient)));
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, nurse2A, patient, ownUpload.UploadId, null, null));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(nurse2A, photoId)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoService>(s => s.UpdateAsync(nurse2A, photoId, "theirs", host.Clock.UtcNow)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse2A, photoId)));

        // Their own ward works.
        var medical = await host.PatientIdAsync(MedicalPatient);
        await CreateAsync(host, nurse2A, medical, ownUpload.UploadId, null, null);
        Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse2A, medical)));
        Assert.Equal("mine", (await host.DbAsync(db => db.Photos.SingleAsync(p => p.Id == photoId))).Description);
    }

    [Fact]
    public async Task An_admin_can_add_a_photo_and_a_reviewer_cannot()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var reviewer = await host.UserAsync("reviewer");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);

        var adminUpload = await StageAsync(host, admin, seed: 1);
        var photoId = await CreateAsync(host, admin, patient, adminUpload.UploadId, "by the admin", null);
        Assert.Equal(admin.Id, (await host.DbAsync(db => db.Photos.SingleAsync(p => p.Id == photoId))).CreatedById);

        // A staged upload of the reviewer's (the HTTP upload refuses them earlier) is still not attached.
        var reviewerUpload = await StageAsync(host, reviewer, seed: 2);
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => CreateAsync(host, reviewer, patient, reviewerUpload.UploadId, "by the reviewer", null));
        Assert.Equal("Your role cannot add photos.", refused.Message);
        Assert.Equal(1, await host.DbAsync(db => db.Photos.CountAsync()));
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == reviewerUpload.UploadId)));

        // The reviewer still sees the timeline.
        Assert.Equal([photoId], (await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(reviewer, patient))).Select(t => t.EventId));
    }

    [Fact]
    public async Task Someone_elses_staged_upload_cannot_be_attached()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await StageAsync(host, nurse);

        // The admin may add photos to this patient: only the upload's owner stops them.
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, admin, patient, upload.UploadId, null, null));
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, nurse, patient, Guid.NewGuid(), null, null));

        Assert.False(await host.DbAsync(db => db.Photos.AnyAsync()));
        Assert.Equal(1, await host.DbAsync(db => db.StagedUploads.CountAsync()));
    }

    [Fact]
    public async Task An_upload_is_attached_only_once()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await StageAsync(host, nurse);

        await CreateAsync(host, nurse, patient, upload.UploadId, "first", null);
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, nurse, patient, upload.UploadId, "again", null));

        Assert.Equal(1, await host.DbAsync(db => db.Photos.CountAsync()));
        Assert.Equal(1, (await host.DbAsync(db => db.MediaFiles.SingleAsync())).ReferenceCount);
    }

    // ---------------------------------------------------------------- update and delete

    [Fact]
    public async Task The_creator_updates_within_the_edit_window()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse)).UploadId, "before", null);

        host.Clock.Advance(TimeSpan.FromHours(23.5));
        var newTime = host.Clock.UtcNow.AddDays(-2);
        await host.WithAsync<PhotoService>(s => s.UpdateAsync(nurse, photoId, " after ", newTime));

        var photo = await host.DbAsync(db => db.Photos.AsNoTracking().SingleAsync());
        Assert.Equal("after", photo.Description);
        Assert.Equal(newTime, photo.EventDateTime);
        Assert.Equal(host.Clock.UtcNow, photo.UpdatedAt);
        Assert.Equal(CoreTestHost.Start.UtcDateTime, photo.CreatedAt);
        Assert.True(await host.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.PhotoUpdate && a.EventId == photoId)));

        var detail = await host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(nurse, photoId));
        Assert.True(detail.CanEdit);
        Assert.Equal(CoreTestHost.Start.UtcDateTime.AddHours(24), detail.EditableUntil);
    }

    [Fact]
    public async Task Update_validates_like_create()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse)).UploadId, "kept", null);

        await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<PhotoService>(s => s.UpdateAsync(nurse, photoId, new string('z', 300), host.Clock.UtcNow)));
        await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<PhotoService>(s => s.UpdateAsync(nurse, photoId, "later", host.Clock.UtcNow.AddHours(1))));

        Assert.Equal("kept", (await host.DbAsync(db => db.Photos.SingleAsync())).Description);
    }

    [Fact]
    public async Task The_creator_deletes_the_photo_is_hidden_and_its_only_blob_goes_at_the_purge()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse)).UploadId, null, null);
        Assert.Equal(4, host.CountStoredFiles());

        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, photoId));

        // Hidden from every query, kept (row and files) for a restore.
        Assert.False(await host.DbAsync(db => db.Photos.AnyAsync()));
        Assert.True(await host.DbAsync(db => db.Photos.IgnoreQueryFilters().AnyAsync(p => p.Id == photoId && p.DeletedById == nurse.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(nurse, photoId)));
        Assert.Equal(4, host.CountStoredFiles());
        var audit = await host.DbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == AuditActions.PhotoDelete));
        Assert.Equal("soft_deleted", audit.Details);

        var purged = await host.PurgeAfterRetentionAsync();

        Assert.Equal(1, purged.EventsPurged);
        Assert.False(await host.DbAsync(db => db.Photos.IgnoreQueryFilters().AnyAsync()));
        await host.AssertNothingLeftBehindAsync();
        Assert.Equal("blob_deleted", (await host.DbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == MediaFiles.Core.Trash.DeletedEvents.PurgeAction))).Details);
    }

    [Fact]
    public async Task Other_ward_staff_and_a_reviewer_cannot_change_or_delete_the_photo()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var second = await SeriesStaging.AddSurgicalNurseAsync(host);
        var reviewer = await host.UserAsync("reviewer");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse)).UploadId, "nurse's", null);

        foreach (var other in new[] { second, reviewer })
        {
            var update = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoService>(s => s.UpdateAsync(other, photoId, "changed", host.Clock.UtcNow)));
            var delete = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoService>(s => s.DeleteAsync(other, photoId)));
            Assert.Equal("Only the person who added this photo (or an admin) can change it.", update.Message);
            Assert.Equal(update.Message, delete.Message);
            Assert.False((await host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(other, photoId))).CanEdit);
        }

        var photo = await host.DbAsync(db => db.Photos.AsNoTracking().SingleAsync());
        Assert.Equal("nurse's", photo.Description);
        Assert.Equal(4, host.CountStoredFiles());
    }

    [Fact]
    public async Task After_24_hours_the_creator_can_no_longer_change_or_delete()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse)).UploadId, "locked soon", null);

        host.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        var update = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoService>(s => s.UpdateAsync(nurse, photoId, "too late", host.Clock.UtcNow.AddDays(-1))));
        Assert.Equal("Photos can be changed for 24 hours after they are added; this one is locked.", update.Message);
        var delete = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, photoId)));
        Assert.Equal(update.Message, delete.Message);

        Assert.Equal("locked soon", (await host.DbAsync(db => db.Photos.SingleAsync())).Description);
        Assert.Equal(4, host.CountStoredFiles());
        Assert.False((await host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(nurse, photoId))).CanEdit);
    }

    [Fact]
    public async Task An_admin_changes_and_deletes_someone_elses_photo_at_any_time()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await CreateAsync(host, nurse, patient, (await StageAsync(host, nurse)).UploadId, "nurse's", null);

        // Within the window.
        Assert.True((await host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(admin, photoId))).CanEdit);
        await host.WithAsync<PhotoService>(s => s.UpdateAsync(admin, photoId, "fixed by the admin", null));
        Assert.Equal("fixed by the admin", (await host.DbAsync(db => db.Photos.AsNoTracking().SingleAsync())).Description);

        // Long after it: the creator is locked out, the admin is not.
        host.Clock.Advance(TimeSpan.FromDays(30));
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoService>(s => s.UpdateAsync(nurse, photoId, "too late", null)));
        Assert.False((await host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(nurse, photoId))).CanEdit);
        Assert.True((await host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(admin, photoId))).CanEdit);

        var newTime = host.Clock.UtcNow.AddDays(-40);
        await host.WithAsync<PhotoService>(s => s.UpdateAsync(admin, photoId, "  after the window  ", newTime));

        var photo = await host.DbAsync(db => db.Photos.AsNoTracking().SingleAsync());
        Assert.Equal(("after the window", newTime), (photo.Description, photo.EventDateTime));
        Assert.Equal((nurse.Id, admin.Id, host.Clock.UtcNow), (photo.CreatedById, photo.UpdatedById, photo.UpdatedAt));
        Assert.Equal(2, await host.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.PhotoUpdate && a.EventId == photoId && a.UserId == admin.Id)));

        await host.WithAsync<PhotoService>(s => s.DeleteAsync(admin, photoId));

        Assert.False(await host.DbAsync(db => db.Photos.AnyAsync()));
        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.PhotoDelete));
        Assert.Equal((admin.Id, photoId, "soft_deleted"), (audit.UserId, audit.EventId, audit.Details));
        await host.PurgeAfterRetentionAsync();
        await host.AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task A_blob_shared_by_two_photos_stays_until_the_last_one_is_deleted()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var other = await host.PatientIdAsync(OtherSurgicalPatient);
        var bytes = TestImages.SmallJpeg(seed: 11);

        var first = await host.IngestAsync(bytes, "same.jpg", "image/jpeg", nurse.Id);
        var second = await host.IngestAsync(bytes, "same again.jpg", "image/jpeg", nurse.Id);
        Assert.Equal(IngestOutcome.Duplicate, second.Outcome);
        var photoA = await CreateAsync(host, nurse, patient, first.UploadId, "A", null);
        var photoB = await CreateAsync(host, nurse, other, second.UploadId, "B", null);
        Assert.Equal(2, (await host.DbAsync(db => db.MediaFiles.SingleAsync())).ReferenceCount);
        var files = host.StoredFiles();
        Assert.Equal(4, files.Count);

        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, photoA));
        Assert.Equal(2, (await host.DbAsync(db => db.MediaFiles.SingleAsync())).ReferenceCount);
        await host.PurgeAfterRetentionAsync();

        Assert.Equal(files, host.StoredFiles());
        Assert.Equal(1, (await host.DbAsync(db => db.MediaFiles.SingleAsync())).ReferenceCount);
        Assert.Equal("blob_kept", (await host.DbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == MediaFiles.Core.Trash.DeletedEvents.PurgeAction))).Details);

        // Past the creator's edit window now: an admin deletes the other one.
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(admin, photoB));
        await host.PurgeAfterRetentionAsync();

        await host.AssertNothingLeftBehindAsync();
        foreach (var file in files) Assert.False(File.Exists(host.FullPath(file)), file);
    }

    // ---------------------------------------------------------------- media access

    [Fact]
    public async Task Media_is_readable_by_its_uploader_while_staged_then_by_the_patients_ward()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var reviewer = await host.UserAsync("reviewer");
        var nurse2A = await host.UserAsync("nurse-2a");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var upload = await StageAsync(host, nurse);

        Task<ReadableMedia?> Read(CurrentUser user) => host.WithAsync<MediaAccess, ReadableMedia?>(a => a.FindReadableAsync(user, upload.MediaFileId, CancellationToken.None));

        var own = await Read(nurse);
        Assert.NotNull(own);
        Assert.Null(own.PatientId);
        Assert.Null(await Read(reviewer));
        Assert.Null(await Read(nurse2A));

        await CreateAsync(host, nurse, patient, upload.UploadId, null, null);

        Assert.Equal(patient, (await Read(nurse))?.PatientId);
        Assert.Equal(patient, (await Read(reviewer))?.PatientId);
        Assert.Null(await Read(nurse2A));
    }

    // ---------------------------------------------------------------- the hospital rule

    [Fact]
    public async Task Outpatients_and_discharged_patients_are_seen_by_every_ward_of_their_hospital_inpatients_only_by_their_ward()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var (otherHospital, otherHospitalPatient) = await AddWardOfAnotherHospitalAsync(host);
        var outpatient = await AddPatientAsync(host, "Oskar Lund", PatientStatus.Outpatient, "Surgical Ward 3B");
        var discharged = await host.PatientIdAsync(DischargedPatient);
        var inpatient = await host.PatientIdAsync(SurgicalPatient);
        Assert.Equal(["St. Elsewhere General"], nurse2A.Hospitals);

        Task<IReadOnlyList<PatientSummary>> Search(CurrentUser user, string? text = null) =>
            host.WithAsync<PatientDirectory, IReadOnlyList<PatientSummary>>(d => d.SearchAsync(user, text));

        // Medical Ward 2A: its own inpatients, then the surgical ward's outpatient and discharged patient; no surgical inpatient or emergency.
        var seenBy2A = await Search(nurse2A);
        Assert.Equal(["Samuel Okoro", "Ingrid Halvorsen", DischargedPatient, "Oskar Lund"], seenBy2A.Select(p => p.Name));
        Assert.Equal(["Medical Ward 2A", "Medical Ward 2A", "Surgical Ward 3B", "Surgical Ward 3B"], seenBy2A.Select(p => p.Ward));
        Assert.Empty(await Search(nurse2A, SurgicalPatient));
        Assert.Empty(await Search(nurse2A, EmergencyPatient));
        Assert.Equal([DischargedPatient], (await Search(nurse2A, "Romero")).Select(p => p.Name));

        // The patient's own ward sees them all, but not another hospital's patient.
        var seenBySurgical = (await Search(nurse)).Select(p => p.Name).ToList();
        Assert.Contains(SurgicalPatient, seenBySurgical);
        Assert.Contains(DischargedPatient, seenBySurgical);
        Assert.Contains("Oskar Lund", seenBySurgical);
        Assert.DoesNotContain("Wren Abbott", seenBySurgical);

        // A ward of another hospital sees its own discharged patient only.
        Assert.Equal(["Wren Abbott"], (await Search(otherHospital)).Select(p => p.Name));

        Task<Patient> Find(CurrentUser user, Guid id) => host.WithAsync<PatientDirectory, Patient>(d => d.FindVisibleAsync(user, id));
        Assert.Equal(discharged, (await Find(nurse2A, discharged)).Id);
        Assert.Equal(outpatient, (await Find(nurse2A, outpatient)).Id);
        await Assert.ThrowsAsync<NotFoundException>(() => Find(nurse2A, inpatient));
        await Assert.ThrowsAsync<NotFoundException>(() => Find(nurse2A, otherHospitalPatient));
        foreach (var id in new[] { discharged, outpatient, inpatient })
            await Assert.ThrowsAsync<NotFoundException>(() => Find(otherHospital, id));
    }

    [Fact]
    public async Task A_discharged_patients_photos_and_media_are_open_to_the_hospital_and_closed_to_another_hospital()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var (otherHospital, _) = await AddWardOfAnotherHospitalAsync(host);
        var discharged = await host.PatientIdAsync(DischargedPatient);
        var inpatient = await host.PatientIdAsync(SurgicalPatient);
        var dischargedUpload = await StageAsync(host, nurse, seed: 1);
        var inpatientUpload = await StageAsync(host, nurse, seed: 2);
        var photoId = await CreateAsync(host, nurse, discharged, dischargedUpload.UploadId, "at discharge", null);
        var inpatientPhoto = await CreateAsync(host, nurse, inpatient, inpatientUpload.UploadId, "on the ward", null);

        Task<ReadableMedia?> Read(CurrentUser user, Guid mediaFileId) =>
            host.WithAsync<MediaAccess, ReadableMedia?>(a => a.FindReadableAsync(user, mediaFileId, CancellationToken.None));

        // The other ward of the same hospital: timeline, photo and file, but no edit (not theirs).
        Assert.Equal([photoId], (await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse2A, discharged))).Select(t => t.EventId));
        var detail = await host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(nurse2A, photoId));
        Assert.Equal("at discharge", detail.Description);
        Assert.False(detail.CanEdit);
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<PhotoService>(s => s.UpdateAsync(nurse2A, photoId, "theirs", null)));
        Assert.Equal(discharged, (await Read(nurse2A, dischargedUpload.MediaFileId))?.PatientId);
        // ...but still not the inpatient's.
        Assert.Null(await Read(nurse2A, inpatientUpload.MediaFileId));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(nurse2A, inpatientPhoto)));

        // Ward staff who can see the patient may add to it.
        var added = await CreateAsync(host, nurse2A, discharged, (await StageAsync(host, nurse2A, seed: 3)).UploadId, "follow-up", null);
        Assert.Equal(nurse2A.Id, (await host.DbAsync(db => db.Photos.SingleAsync(p => p.Id == added))).CreatedById);

        // Another hospital finds neither.
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(otherHospital, discharged)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<TimelineQuery, PhotoDetail>(q => q.GetPhotoAsync(otherHospital, photoId)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<PhotoService>(s => s.DeleteAsync(otherHospital, photoId)));
        Assert.Null(await Read(otherHospital, dischargedUpload.MediaFileId));
        Assert.Null(await Read(otherHospital, inpatientUpload.MediaFileId));
        var theirUpload = await StageAsync(host, otherHospital, seed: 4);
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(host, otherHospital, discharged, theirUpload.UploadId, null, null));
        Assert.Equal(3, await host.DbAsync(db => db.Photos.CountAsync()));
    }

    // ---------------------------------------------------------------- sweeper

    [Fact]
    public async Task Sweeper_releases_expired_staged_uploads_and_keeps_fresh_ones()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        Assert.Equal(TimeSpan.FromHours(6), host.Options.StagedUploadLifetime);

        var old = await StageAsync(host, nurse, seed: 1);
        var oldFiles = host.StoredFiles();
        host.Clock.Advance(TimeSpan.FromHours(5));
        var fresh = await StageAsync(host, nurse, seed: 2);
        var freshFiles = host.StoredFiles().Except(oldFiles).ToList();
        Assert.Equal(4, freshFiles.Count);

        host.Clock.Advance(TimeSpan.FromHours(2)); // old: 7 h, fresh: 2 h
        var swept = await host.WithAsync<StagedUploadSweeper, int>(s => s.SweepAsync(CancellationToken.None));

        Assert.Equal(1, swept);
        Assert.Equal(freshFiles, host.StoredFiles());
        Assert.False(await host.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == old.MediaFileId)));
        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == old.UploadId)));
        Assert.True(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == fresh.UploadId)));
        Assert.Equal(1, (await host.DbAsync(db => db.MediaFiles.SingleAsync(m => m.Id == fresh.MediaFileId))).ReferenceCount);

        // Nothing more to do a second time.
        Assert.Equal(0, await host.WithAsync<StagedUploadSweeper, int>(s => s.SweepAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Sweeper_releasing_a_duplicate_upload_keeps_the_blob_of_a_photo()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var bytes = TestImages.SmallJpeg(seed: 3);
        var attached = await host.IngestAsync(bytes, "a.jpg", "image/jpeg", nurse.Id);
        await CreateAsync(host, nurse, patient, attached.UploadId, null, null);
        var duplicate = await host.IngestAsync(bytes, "a.jpg", "image/jpeg", nurse.Id);
        Assert.Equal(2, (await host.DbAsync(db => db.MediaFiles.SingleAsync())).ReferenceCount);
        var files = host.StoredFiles();

        host.Clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(1, await host.WithAsync<StagedUploadSweeper, int>(s => s.SweepAsync(CancellationToken.None)));

        Assert.False(await host.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == duplicate.UploadId)));
        Assert.Equal(1, (await host.DbAsync(db => db.MediaFiles.SingleAsync())).ReferenceCount);
        Assert.Equal(files, host.StoredFiles());
    }

    [Fact]
    public async Task Sweeper_removes_stale_temp_files_only()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var temp = Path.Combine(host.StorageRoot, LocalMediaStore.TempFolder);
        Directory.CreateDirectory(temp);
        var stale = Path.Combine(temp, "stale.part");
        var recent = Path.Combine(temp, "recent.part");
        var other = Path.Combine(temp, "keep.txt");
        foreach (var path in new[] { stale, recent, other })
        {
            await File.WriteAllTextAsync(path, "partial upload");
            File.SetLastWriteTimeUtc(path, host.Clock.UtcNow.AddHours(-2));
        }
        File.SetLastWriteTimeUtc(recent, host.Clock.UtcNow.AddMinutes(-10));

        await host.WithAsync<StagedUploadSweeper, int>(s => s.SweepAsync(CancellationToken.None));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(other));
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// A ward of another hospital with one ward-staff user and one discharged patient ("Wren Abbott");
    /// returns the user and that patient's id.
    /// </summary>
    private static async Task<(CurrentUser User, Guid PatientId)> AddWardOfAnotherHospitalAsync(CoreTestHost host)
    {
        var ward = new Ward { Name = "Ward 1 North", Hospital = "Mercy County Hospital" };
        var patient = new Patient { Name = "Wren Abbott", Mrn = "TEST-WREN-1", Birthday = new DateOnly(1984, 2, 11), Status = PatientStatus.Discharged, Ward = ward };
        await host.DbAsync(db =>
        {
            db.Users.Add(new AppUser { Subject = "nurse-mercy", DisplayName = "Mercy Nurse", Role = Roles.WardStaff, Wards = [ward] });
            db.Patients.Add(patient);
            return db.SaveChangesAsync();
        });
        return (await host.UserAsync("nurse-mercy"), patient.Id);
    }

    /// <summary>A patient without a bed on one of the seeded wards.</summary>
    private static async Task<Guid> AddPatientAsync(CoreTestHost host, string name, PatientStatus status, string wardName)
    {
        var patient = new Patient { Name = name, Mrn = "TEST-" + Guid.NewGuid().ToString("N")[..8], Birthday = new DateOnly(1970, 1, 1), Status = status };
        await host.DbAsync(async db =>
        {
            patient.WardId = await db.Wards.Where(w => w.Name == wardName).Select(w => w.Id).SingleAsync();
            db.Patients.Add(patient);
            return await db.SaveChangesAsync();
        });
        return patient.Id;
    }

    private static Task<IngestResult> StageAsync(CoreTestHost host, CurrentUser user, int seed = 0) =>
        host.IngestAsync(TestImages.SmallJpeg(seed), $"photo-{seed}.jpg", "image/jpeg", user.Id);

    private static Task<Guid> CreateAsync(CoreTestHost host, CurrentUser user, Guid patientId, Guid uploadId, string? description, DateTime? when) =>
        host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(user, patientId, uploadId, description, when));
}
