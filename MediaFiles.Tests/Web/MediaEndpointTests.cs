using System.Net;
using System.Net.Http.Headers;
using ImageMagick;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>GET /media/{id}/{variant}: the guarded file read, its headers, caching and audit.</summary>
public sealed class MediaEndpointTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    /// <summary>A photo of Helena Marsh (Surgical Ward 3B) added by the nurse.</summary>
    private async Task<(SignedInClient Nurse, Guid MediaFileId, byte[] Bytes, string Sha256)> PhotoAsync(string fileName = "wound-left-leg.jpg")
    {
        var nurse = await app.SignInAsync("nurse");
        var bytes = TestUploads.UniqueJpeg(640, 480);
        var patientId = await nurse.PatientIdAsync("Helena Marsh");
        var (_, upload) = await nurse.AddPhotoAsync(patientId, bytes, fileName);
        var sha = await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == upload.MediaFileId).Select(m => m.Sha256).SingleAsync());
        return (nurse, upload.MediaFileId, bytes, sha);
    }

    private Task<List<AuditEntry>> ReadsAsync(Guid mediaFileId) =>
        app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.MediaFileId == mediaFileId && a.Action == AuditActions.MediaRead).OrderBy(a => a.Id).ToListAsync());

    [Fact]
    public async Task Original_is_served_byte_identical_with_the_safe_headers()
    {
        var (nurse, id, bytes, sha) = await PhotoAsync();
        using var _ = nurse;

        using var response = await nurse.Http.GetAsync($"/media/{id}/original");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var cache = response.Headers.CacheControl!;
        Assert.True(cache.Private, "Cache-Control: private");
        Assert.True(cache.NoStore, "Cache-Control: no-store");
        Assert.False(cache.Public);
        Assert.Null(cache.MaxAge);
        Assert.Equal($"\"{sha}-original\"", response.Headers.ETag?.Tag);
        Assert.False(response.Headers.ETag!.IsWeak);

        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("inline", disposition.DispositionType);
        Assert.Equal("wound-left-leg.jpg", disposition.FileName?.Trim('"'));

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("sandbox", csp);
        Assert.DoesNotContain("script-src", csp);
    }

    [Fact]
    public async Task Every_read_is_audited_and_a_revisit_with_the_etag_is_304_without_the_bytes()
    {
        var (nurse, id, _, sha) = await PhotoAsync();
        using var _ = nurse;
        var nurseId = await app.UserIdAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Helena Marsh");

        using var first = await nurse.Http.GetAsync($"/media/{id}/thumbnail");
        await SignedInClient.ExpectAsync(first, HttpStatusCode.OK);
        var etag = first.Headers.ETag!;
        // A derived file's tag carries its length: regenerated at another size, it is a new tag.
        Assert.Equal($"\"{sha}-thumbnail-{first.Content.Headers.ContentLength}\"", etag.Tag);

        using var revisit = new HttpRequestMessage(HttpMethod.Get, $"/media/{id}/thumbnail");
        revisit.Headers.IfNoneMatch.Add(etag);
        using var second = await nurse.Http.SendAsync(revisit);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag.Tag, second.Headers.ETag?.Tag);

        var reads = await ReadsAsync(id);
        Assert.Equal(["thumbnail", "thumbnail:not_modified"], reads.Select(r => r.Details));
        Assert.All(reads, r =>
        {
            Assert.True(r.Success);
            Assert.Equal(nurseId, r.UserId);
            Assert.Equal(patientId, r.PatientId);
        });
    }

    [Fact]
    public async Task An_etag_of_another_variant_does_not_give_304()
    {
        var (nurse, id, _, _) = await PhotoAsync();
        using var _ = nurse;
        using var original = await nurse.Http.GetAsync($"/media/{id}/original");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/media/{id}/large");
        request.Headers.IfNoneMatch.Add(original.Headers.ETag!);
        using var response = await nurse.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Variants_are_jpegs_named_after_the_original_with_their_size()
    {
        var (nurse, id, _, _) = await PhotoAsync("Scan 7.png.jpg");
        using var _ = nurse;

        foreach (var (variant, width, height) in new[] { ("large", 640u, 480u), ("medium", 640u, 480u), ("thumbnail", 200u, 150u) })
        {
            using var response = await nurse.Http.GetAsync($"/media/{id}/{variant}");

            await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"Scan 7.png-{variant}.jpg", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var info = new MagickImageInfo(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(MagickFormat.Jpeg, info.Format);
            Assert.Equal((width, height), (info.Width, info.Height));
        }
    }

    [Fact]
    public async Task Download_true_gives_an_attachment()
    {
        var (nurse, id, _, _) = await PhotoAsync("heel day 3.jpg");
        using var _ = nurse;

        using var response = await nurse.Http.GetAsync($"/media/{id}/original?download=true");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("heel day 3.jpg", disposition.FileName?.Trim('"'));
        // A download is told apart from a view in the audit trail.
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.MediaFileId == id && a.Details == "original:download" && a.Success)));
    }

    [Fact]
    public async Task Non_ascii_name_is_sent_as_an_encoded_filename_star()
    {
        var (nurse, id, _, _) = await PhotoAsync("Wunde Fuß.jpg");
        using var _ = nurse;

        using var response = await nurse.Http.GetAsync($"/media/{id}/original");

        var raw = string.Join(";", response.Content.Headers.GetValues("Content-Disposition"));
        Assert.Contains("filename*=UTF-8''Wunde%20Fu%C3%9F.jpg", raw);
        Assert.Equal("Wunde Fuß.jpg", response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task Range_request_gets_part_of_the_original()
    {
        var (nurse, id, bytes, _) = await PhotoAsync();
        using var _ = nurse;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/media/{id}/original");
        request.Headers.Range = new RangeHeaderValue(0, 9);
        using var response = await nurse.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[..10], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_user_of_another_ward_gets_404_and_never_the_bytes_and_the_denial_is_audited()
    {
        var (nurse, id, _, _) = await PhotoAsync();
        using var _ = nurse;
        using var otherWard = await app.SignInAsync("nurse-2a");

        foreach (var variant in new[] { "original", "large", "thumbnail" })
        {
            using var response = await otherWard.Http.GetAsync($"/media/{id}/{variant}");

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Null(response.Headers.ETag);
            Assert.Null(response.Content.Headers.ContentDisposition);
        }

        var otherWardId = await app.UserIdAsync("nurse-2a");
        var denied = (await ReadsAsync(id)).Where(r => r.UserId == otherWardId).ToList();
        Assert.Equal(["original:denied", "large:denied", "thumbnail:denied"], denied.Select(r => r.Details));
        Assert.All(denied, r => Assert.False(r.Success));
    }

    [Fact]
    public async Task A_discharged_patients_photo_is_served_to_the_other_ward_of_the_hospital_but_not_to_another_hospital()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var otherWard = await app.SignInAsync("nurse-2a");
        using var otherHospital = await app.SignInAsync(await AddUserOfAnotherHospitalAsync("nurse-mercy-media"));
        var bytes = TestUploads.UniqueJpeg(640, 480);
        var discharged = await nurse.PatientIdAsync("Lucía Romero");
        var (_, upload) = await nurse.AddPhotoAsync(discharged, bytes, "at-discharge.jpg");

        using (var original = await otherWard.Http.GetAsync($"/media/{upload.MediaFileId}/original"))
        {
            await SignedInClient.ExpectAsync(original, HttpStatusCode.OK);
            Assert.Equal(bytes, await original.Content.ReadAsByteArrayAsync());
        }
        using (var thumbnail = await otherWard.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail"))
            await SignedInClient.ExpectAsync(thumbnail, HttpStatusCode.OK);

        foreach (var variant in new[] { "original", "thumbnail" })
        {
            using var response = await otherHospital.Http.GetAsync($"/media/{upload.MediaFileId}/{variant}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Null(response.Content.Headers.ContentDisposition);
        }

        var reads = await ReadsAsync(upload.MediaFileId);
        var otherWardId = await app.UserIdAsync("nurse-2a");
        var otherHospitalId = await app.UserIdAsync("nurse-mercy-media");
        Assert.Equal([("original", true, (Guid?)discharged), ("thumbnail", true, discharged)],
            reads.Where(r => r.UserId == otherWardId).Select(r => (r.Details, r.Success, r.PatientId)));
        Assert.Equal(["original:denied", "thumbnail:denied"], reads.Where(r => r.UserId == otherHospitalId).Select(r => r.Details));
        Assert.All(reads.Where(r => r.UserId == otherHospitalId), r => Assert.False(r.Success));
    }

    [Fact]
    public async Task A_stored_file_gone_from_disk_is_404_and_audited_as_missing()
    {
        var (nurse, id, _, _) = await PhotoAsync();
        using var _ = nurse;
        var original = await app.DbAsync(db => db.MediaFiles.Where(m => m.Id == id).Select(m => m.FilePath).SingleAsync());
        File.Delete(app.FullPath(original.Replace("/originals/", "/medium/")));

        using var response = await nurse.Http.GetAsync($"/media/{id}/medium");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var last = (await ReadsAsync(id)).Last();
        Assert.False(last.Success);
        Assert.Equal("medium:missing", last.Details);
    }

    [Fact]
    public async Task Without_sign_in_a_file_read_is_401()
    {
        var (nurse, id, _, _) = await PhotoAsync();
        using var _ = nurse;
        using var anonymous = app.CreateCookieClient();

        using var response = await anonymous.GetAsync($"/media/{id}/original");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Unknown_variant_or_file_is_404()
    {
        var (nurse, id, _, _) = await PhotoAsync();
        using var _ = nurse;

        foreach (var url in new[] { $"/media/{id}/huge", $"/media/{id}/1", $"/media/{Guid.NewGuid()}/original" })
        {
            using var response = await nurse.Http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_staged_upload_is_readable_by_its_uploader_only()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        var upload = await nurse.UploadAsync(TestUploads.UniqueJpeg(), "staged.jpg");

        using var own = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail");
        using var other = await reviewer.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        var reads = await ReadsAsync(upload.MediaFileId);
        Assert.Equal([(true, (Guid?)null), (false, null)], reads.Select(r => (r.Success, r.PatientId)));
    }

    /// <summary>A ward-staff user on a ward of another hospital; returns the subject to sign in as.</summary>
    private async Task<string> AddUserOfAnotherHospitalAsync(string subject)
    {
        await app.DbAsync(db =>
        {
            db.Users.Add(new AppUser
            {
                Subject = subject, DisplayName = "Mercy Nurse", Role = Roles.WardStaff,
                Wards = [new Ward { Name = "Ward 1 North", Hospital = "Mercy County Hospital" }],
            });
            return db.SaveChangesAsync();
        });
        return subject;
    }
}
