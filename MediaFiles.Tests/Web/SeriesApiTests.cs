using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>/api/series and /api/patients/{id}/series over the whole app: create, reorder, add, remove, caption, ZIP.</summary>
public sealed class SeriesApiTests(MediaFilesWebFactory app) : IClassFixture<MediaFilesWebFactory>
{
    private sealed record SeriesItemReply(Guid Id, int OrderIndex, Guid MediaFileId, string Caption, string OriginalFilename, string MimeType);

    private sealed record SeriesReply(Guid Id, Guid PatientId, string PatientName, string Caption, DateTime EventDateTime, Guid CreatedById,
        int Version, List<SeriesItemReply> Items, bool CanEdit, bool CanReorder);

    private sealed record VersionReply(int Version);

    // ---------------------------------------------------------------- create and read

    [Fact]
    public async Task Uploads_for_a_series_are_filed_under_photo_series_and_the_series_keeps_their_order()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Helena Marsh");
        var uploads = new List<UploadReply>();
        foreach (var name in new[] { "day1.jpg", "day2.jpg", "day3.jpg" })
            uploads.Add(await UploadForSeriesAsync(nurse, TestUploads.UniqueJpeg(64, 48), name));

        foreach (var upload in uploads)
        {
            var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == upload.MediaFileId));
            Assert.Equal($"photo_series/{media.CreatedAt:yyyy}/{media.CreatedAt:MM}/originals/{media.Id:D}.jpg", media.FilePath);
            Assert.True(File.Exists(app.FullPath(media.FilePath)));
            Assert.True(File.Exists(app.FullPath($"photo_series/{media.CreatedAt:yyyy}/{media.CreatedAt:MM}/thumbnails/{media.Id:D}.jpg")));
        }
        var order = new[] { uploads[1], uploads[2], uploads[0] };
        var when = DateTime.UtcNow.AddHours(-3);

        using var response = await nurse.PostJsonAsync($"/api/patients/{patientId}/series",
            new { uploadIds = order.Select(u => u.UploadId), caption = "  Sacral wound, days 1-3  ", eventDateTime = when });

        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/series/{id}", response.Headers.Location?.OriginalString);

        var series = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{id}");
        Assert.Equal((id, patientId, "Helena Marsh"), (series.Id, series.PatientId, series.PatientName));
        Assert.Equal("Sacral wound, days 1-3", series.Caption);
        Assert.Equal(when, series.EventDateTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, series.Version);
        Assert.Equal(order.Select(u => u.MediaFileId), series.Items.Select(i => i.MediaFileId));
        Assert.Equal([1, 2, 3], series.Items.Select(i => i.OrderIndex));
        Assert.Equal(["day2.jpg", "day3.jpg", "day1.jpg"], series.Items.Select(i => i.OriginalFilename));
        Assert.All(series.Items, i => Assert.Equal("image/jpeg", i.MimeType));
        Assert.True(series.CanEdit);
        Assert.True(series.CanReorder);

        Assert.False(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => uploads.Select(u => u.UploadId).Contains(s.Id))));
        Assert.All(await app.DbAsync(db => db.MediaFiles.AsNoTracking().Where(m => order.Select(u => u.MediaFileId).Contains(m.Id)).ToListAsync()),
            m => Assert.Equal(1, m.ReferenceCount));
        Assert.Equal(EventType.PhotoSeries, await app.DbAsync(db => db.Events.Where(e => e.Id == id).Select(e => e.EventType).SingleAsync()));

        var timeline = await nurse.GetJsonAsync<List<JsonElement>>($"/api/patients/{patientId}/timeline");
        var entry = Assert.Single(timeline, t => t.GetProperty("eventId").GetGuid() == id);
        Assert.Equal(9, entry.GetProperty("type").GetInt32());
        Assert.Equal(3, entry.GetProperty("photoCount").GetInt32());
    }

    [Fact]
    public async Task Twenty_one_uploads_are_refused_with_400_naming_the_limit()
    {
        using var nurse = await app.SignInAsync("nurse");
        var patientId = await nurse.PatientIdAsync("Amara Nwosu");
        var uploadIds = Enumerable.Range(0, 21).Select(_ => Guid.NewGuid()).ToList();

        using var response = await nurse.PostJsonAsync($"/api/patients/{patientId}/series", new { uploadIds });

        await SignedInClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!;
        Assert.Equal("A series holds at most 20 photos; this one would have 21.", problem.Detail);

        using var empty = await nurse.PostJsonAsync($"/api/patients/{patientId}/series", new { uploadIds = Array.Empty<Guid>() });
        await SignedInClient.ExpectAsync(empty, HttpStatusCode.BadRequest);
        Assert.Equal("A series needs at least one photo.", (await empty.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);
    }

    // ---------------------------------------------------------------- reorder

    [Fact]
    public async Task Reorder_answers_the_new_version_and_a_stale_version_gets_409_with_the_current_one()
    {
        using var nurse = await app.SignInAsync("nurse");
        var (seriesId, media) = await CreateSeriesAsync(nurse, "Jonas Weber", 3);

        using var first = await nurse.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 3, to = 1, version = 0 });
        await SignedInClient.ExpectAsync(first, HttpStatusCode.OK);
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<VersionReply>(JsonSerializerOptions.Web))!.Version);

        using var stale = await nurse.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 2, to = 3, version = 0 });

        await SignedInClient.ExpectAsync(stale, HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal("Changed by someone else", problem.GetProperty("title").GetString());
        Assert.Equal("Someone else changed this series a moment ago. Here is its current order: make your change again if it is still needed.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt32());

        var series = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.Equal(1, series.Version);
        Assert.Equal([media[2], media[0], media[1]], series.Items.Select(i => i.MediaFileId));

        // With the current version the same change goes through.
        using var retry = await nurse.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 2, to = 3, version = problem.GetProperty("currentVersion").GetInt32() });
        await SignedInClient.ExpectAsync(retry, HttpStatusCode.OK);
        Assert.Equal(2, (await retry.Content.ReadFromJsonAsync<VersionReply>(JsonSerializerOptions.Web))!.Version);
        Assert.Equal([media[2], media[1], media[0]], (await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}")).Items.Select(i => i.MediaFileId));
        Assert.Equal(2, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.SeriesReorder && a.EventId == seriesId)));
    }

    [Fact]
    public async Task Positions_out_of_range_are_400_and_a_missing_token_is_refused()
    {
        using var nurse = await app.SignInAsync("nurse");
        var (seriesId, media) = await CreateSeriesAsync(nurse, "Jonas Weber", 2);

        using var outOfRange = await nurse.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 1, to = 3, version = 0 });
        await SignedInClient.ExpectAsync(outOfRange, HttpStatusCode.BadRequest);
        Assert.Equal("Positions go from 1 to 2.", (await outOfRange.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);

        using var noToken = await nurse.SendAsync(HttpMethod.Post, $"/api/series/{seriesId}/moves",
            JsonContent.Create(new { from = 2, to = 1, version = 0 }, options: JsonSerializerOptions.Web), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var series = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.Equal(0, series.Version);
        Assert.Equal(media, series.Items.Select(i => i.MediaFileId));
    }

    // ---------------------------------------------------------------- add, remove, caption

    [Fact]
    public async Task Add_appends_remove_closes_the_gap_and_captions_are_kept()
    {
        using var nurse = await app.SignInAsync("nurse");
        var (seriesId, media) = await CreateSeriesAsync(nurse, "Pieter de Vries", 2);
        var c = await UploadForSeriesAsync(nurse, TestUploads.UniqueJpeg(64, 48), "c.jpg");
        var d = await UploadForSeriesAsync(nurse, TestUploads.UniqueJpeg(64, 48), "d.jpg");

        using var added = await nurse.PostJsonAsync($"/api/series/{seriesId}/files", new { uploadIds = new[] { d.UploadId, c.UploadId }, version = 0 });
        await SignedInClient.ExpectAsync(added, HttpStatusCode.OK);
        Assert.Equal(1, (await added.Content.ReadFromJsonAsync<VersionReply>(JsonSerializerOptions.Web))!.Version);
        var series = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.Equal([media[0], media[1], d.MediaFileId, c.MediaFileId], series.Items.Select(i => i.MediaFileId));
        Assert.Equal([1, 2, 3, 4], series.Items.Select(i => i.OrderIndex));

        using var caption = await nurse.PatchJsonAsync($"/api/series/{seriesId}/files/{series.Items[2].Id}", new { caption = "  Day 3  " });
        await SignedInClient.ExpectAsync(caption, HttpStatusCode.NoContent);

        var removedFiles = await FilesOfAsync(media[1]);
        using var removed = await nurse.SendAsync(HttpMethod.Delete, $"/api/series/{seriesId}/files/{series.Items[1].Id}?version=1");
        await SignedInClient.ExpectAsync(removed, HttpStatusCode.OK);
        Assert.Equal(2, (await removed.Content.ReadFromJsonAsync<VersionReply>(JsonSerializerOptions.Web))!.Version);

        var after = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.Equal([media[0], d.MediaFileId, c.MediaFileId], after.Items.Select(i => i.MediaFileId));
        Assert.Equal([1, 2, 3], after.Items.Select(i => i.OrderIndex));
        Assert.Equal(["", "Day 3", ""], after.Items.Select(i => i.Caption));
        Assert.Equal(2, after.Version);
        Assert.False(await app.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == media[1])));
        Assert.All(removedFiles, f => Assert.False(File.Exists(app.FullPath(f)), f));

        // A stale removal is 409 and removes nothing; the last photo cannot go.
        using var staleRemove = await nurse.SendAsync(HttpMethod.Delete, $"/api/series/{seriesId}/files/{after.Items[0].Id}?version=1");
        await SignedInClient.ExpectAsync(staleRemove, HttpStatusCode.Conflict);
        Assert.Equal(2, (await staleRemove.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web)).GetProperty("currentVersion").GetInt32());
        Assert.Equal(3, (await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}")).Items.Count);

        using var patch = await nurse.PatchJsonAsync($"/api/series/{seriesId}", new { caption = "renamed" });
        await SignedInClient.ExpectAsync(patch, HttpStatusCode.NoContent);
        var renamed = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.Equal("renamed", renamed.Caption);
        Assert.Equal(after.EventDateTime, renamed.EventDateTime);
    }

    [Fact]
    public async Task Discard_removes_the_callers_staged_uploads_only()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var admin = await app.SignInAsync("admin");
        var mine = await UploadForSeriesAsync(nurse, TestUploads.UniqueJpeg(64, 48), "mine.jpg");
        var theirs = await UploadForSeriesAsync(admin, TestUploads.UniqueJpeg(64, 48), "theirs.jpg");
        var myFiles = await FilesOfAsync(mine.MediaFileId);

        using var response = await nurse.PostJsonAsync("/api/uploads/discard", new { uploadIds = new[] { mine.UploadId, theirs.UploadId } });

        await SignedInClient.ExpectAsync(response, HttpStatusCode.NoContent);
        Assert.False(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == mine.UploadId)));
        Assert.False(await app.DbAsync(db => db.MediaFiles.AnyAsync(m => m.Id == mine.MediaFileId)));
        Assert.All(myFiles, f => Assert.False(File.Exists(app.FullPath(f)), f));
        Assert.True(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == theirs.UploadId)));
    }

    // ---------------------------------------------------------------- who may do what

    [Fact]
    public async Task A_reviewer_only_looks_the_admin_may_reorder_and_another_ward_gets_404()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        using var otherWard = await app.SignInAsync("nurse-2a");
        using var admin = await app.SignInAsync("admin");
        var (seriesId, media) = await CreateSeriesAsync(nurse, "Amara Nwosu", 3);
        var itemId = (await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}")).Items[0].Id;
        var nurseUpload = await UploadForSeriesAsync(nurse, TestUploads.UniqueJpeg(64, 48), "n.jpg");
        var otherUpload = await UploadForSeriesAsync(otherWard, TestUploads.UniqueJpeg(64, 48), "o.jpg");

        // The reviewer sees it, may not upload, edit or reorder.
        var seen = await reviewer.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.False(seen.CanEdit);
        Assert.False(seen.CanReorder);
        using (var upload = await reviewer.PostUploadAsync(TestUploads.UniqueJpeg(64, 48), "r.jpg"))
        {
            await SignedInClient.ExpectAsync(upload, HttpStatusCode.Forbidden);
            Assert.Equal("Your role cannot upload media.", (await upload.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);
        }
        foreach (var response in new[]
        {
            await reviewer.PostJsonAsync($"/api/series/{seriesId}/files", new { uploadIds = new[] { nurseUpload.UploadId }, version = 0 }),
            await reviewer.SendAsync(HttpMethod.Delete, $"/api/series/{seriesId}/files/{itemId}?version=0"),
            await reviewer.PatchJsonAsync($"/api/series/{seriesId}/files/{itemId}", new { caption = "theirs" }),
            await reviewer.PatchJsonAsync($"/api/series/{seriesId}", new { caption = "theirs" }),
            await reviewer.SendAsync(HttpMethod.Delete, $"/api/series/{seriesId}"),
        })
        {
            using (response)
            {
                await SignedInClient.ExpectAsync(response, HttpStatusCode.Forbidden);
                Assert.Equal("Only the person who added this series (or an admin) can change it.",
                    (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);
            }
        }
        using (var move = await reviewer.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 1, to = 3, version = 0 }))
        {
            await SignedInClient.ExpectAsync(move, HttpStatusCode.Forbidden);
            Assert.Equal("Your role cannot reorder series: reviewers view only.",
                (await move.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);
        }
        Assert.Equal(0, (await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}")).Version);

        // The admin may edit and reorder.
        var asAdmin = await admin.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.True(asAdmin.CanReorder);
        Assert.True(asAdmin.CanEdit);
        using (var adminMove = await admin.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 1, to = 3, version = 0 }))
        {
            await SignedInClient.ExpectAsync(adminMove, HttpStatusCode.OK);
            Assert.Equal(1, (await adminMove.Content.ReadFromJsonAsync<VersionReply>(JsonSerializerOptions.Web))!.Version);
        }

        // Another ward does not find it at all.
        foreach (var response in new[]
        {
            await otherWard.Http.GetAsync($"/api/series/{seriesId}"),
            await otherWard.Http.GetAsync($"/api/series/{seriesId}/zip"),
            await otherWard.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 1, to = 2, version = 1 }),
            await otherWard.PostJsonAsync($"/api/series/{seriesId}/files", new { uploadIds = new[] { otherUpload.UploadId }, version = 1 }),
            await otherWard.SendAsync(HttpMethod.Delete, $"/api/series/{seriesId}/files/{itemId}?version=1"),
            await otherWard.PatchJsonAsync($"/api/series/{seriesId}/files/{itemId}", new { caption = "x" }),
            await otherWard.SendAsync(HttpMethod.Delete, $"/api/series/{seriesId}"),
            await otherWard.PostJsonAsync($"/api/patients/{seen.PatientId}/series", new { uploadIds = new[] { otherUpload.UploadId } }),
        })
        {
            using (response) await SignedInClient.ExpectAsync(response, HttpStatusCode.NotFound);
        }

        var final = await nurse.GetJsonAsync<SeriesReply>($"/api/series/{seriesId}");
        Assert.Equal(1, final.Version);
        Assert.Equal([media[1], media[2], media[0]], final.Items.Select(i => i.MediaFileId));
        Assert.All(final.Items, i => Assert.Equal("", i.Caption));
        Assert.True(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == nurseUpload.UploadId)));
        var reviewerId = await app.UserIdAsync("reviewer");
        Assert.False(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.UploadedById == reviewerId)));
        Assert.True(await app.DbAsync(db => db.StagedUploads.AnyAsync(s => s.Id == otherUpload.UploadId)));
        Assert.False(await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.SeriesZip && a.EventId == seriesId)));
    }

    [Fact]
    public async Task The_creator_deletes_the_series_and_its_blobs_go()
    {
        using var nurse = await app.SignInAsync("nurse");
        var (seriesId, media) = await CreateSeriesAsync(nurse, "Lucía Romero", 2);
        var files = new List<string>();
        foreach (var id in media) files.AddRange(await FilesOfAsync(id));
        Assert.All(files, f => Assert.True(File.Exists(app.FullPath(f)), f));

        using var response = await nurse.SendAsync(HttpMethod.Delete, $"/api/series/{seriesId}");

        await SignedInClient.ExpectAsync(response, HttpStatusCode.NoContent);
        using var gone = await nurse.Http.GetAsync($"/api/series/{seriesId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.All(files, f => Assert.True(File.Exists(app.FullPath(f)), f));
        await app.PurgeDeletedAsync();
        Assert.False(await app.DbAsync(db => db.MediaFiles.AnyAsync(m => media.Contains(m.Id))));
        Assert.All(files, f => Assert.False(File.Exists(app.FullPath(f)), f));
    }

    // ---------------------------------------------------------------- ZIP

    [Fact]
    public async Task Zip_has_the_originals_byte_for_byte_named_by_position_and_is_audited()
    {
        using var nurse = await app.SignInAsync("nurse");
        using var reviewer = await app.SignInAsync("reviewer");
        using var otherWard = await app.SignInAsync("nurse-2a");
        var patientId = await nurse.PatientIdAsync("Helena Marsh");
        var bytes = new[] { TestUploads.UniqueJpeg(320, 240), TestUploads.UniqueJpeg(200, 150), TestUploads.UniqueJpeg(160, 120) };
        var names = new[] { "wound day 1.jpg", "wound day 2.jpg", "Wunde Fuß (3).jpg" };
        var uploads = new List<UploadReply>();
        for (var i = 0; i < bytes.Length; i++) uploads.Add(await UploadForSeriesAsync(nurse, bytes[i], names[i]));
        var when = DateTime.UtcNow.Date.AddDays(-2).AddHours(9.5);
        using (var create = await nurse.PostJsonAsync($"/api/patients/{patientId}/series",
                   new { uploadIds = uploads.Select(u => u.UploadId), caption = "zip", eventDateTime = when }))
        {
            await SignedInClient.ExpectAsync(create, HttpStatusCode.Created);
            var seriesId = (await create.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web)).GetProperty("id").GetGuid();
            // Move the last photo to the front: the ZIP follows the series order.
            using (var move = await nurse.PostJsonAsync($"/api/series/{seriesId}/moves", new { from = 3, to = 1, version = 0 }))
                await SignedInClient.ExpectAsync(move, HttpStatusCode.OK);

            using var response = await reviewer.Http.GetAsync($"/api/series/{seriesId}/zip", HttpCompletionOption.ResponseHeadersRead);

            await SignedInClient.ExpectAsync(response, HttpStatusCode.OK);
            Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
            var disposition = response.Content.Headers.ContentDisposition!;
            Assert.Equal("attachment", disposition.DispositionType);
            Assert.Equal($"photo-series-{when:yyyy-MM-dd}.zip", disposition.FileName?.Trim('"'));
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString());

            var body = await response.Content.ReadAsByteArrayAsync();
            await using var zip = await ZipArchive.CreateAsync(new MemoryStream(body), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null);
            Assert.Equal(["01_Wunde-Fuß-_3_.jpg", "02_wound-day-1.jpg", "03_wound-day-2.jpg"], zip.Entries.Select(e => e.FullName));
            var expected = new[] { bytes[2], bytes[0], bytes[1] };
            for (var i = 0; i < expected.Length; i++)
            {
                await using var entry = await zip.Entries[i].OpenAsync();
                using var copy = new MemoryStream();
                await entry.CopyToAsync(copy);
                Assert.True(expected[i].AsSpan().SequenceEqual(copy.ToArray()), $"entry {zip.Entries[i].FullName} differs from the uploaded original");
                Assert.Equal(expected[i].Length, zip.Entries[i].Length);
                Assert.Equal(when, zip.Entries[i].LastWriteTime.DateTime);
            }

            var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.SeriesZip && a.EventId == seriesId).ToListAsync());
            var row = Assert.Single(audit);
            Assert.Equal((await app.UserIdAsync("reviewer"), patientId, true, "files:3"), (row.UserId!.Value, row.PatientId!.Value, row.Success, row.Details));

            using var refused = await otherWard.Http.GetAsync($"/api/series/{seriesId}/zip");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.NotEqual("application/zip", refused.Content.Headers.ContentType?.MediaType);
            Assert.Single(await app.DbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.SeriesZip && a.EventId == seriesId).ToListAsync()));
        }
    }

    [Fact]
    public async Task Zip_of_a_missing_series_is_404()
    {
        using var nurse = await app.SignInAsync("nurse");

        using var response = await nurse.Http.GetAsync($"/api/series/{Guid.NewGuid()}/zip");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such series.", (await response.Content.ReadFromJsonAsync<ProblemReply>(JsonSerializerOptions.Web))!.Detail);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>POST /api/uploads?kind=series with the bytes as the raw body; expects 201.</summary>
    private static async Task<UploadReply> UploadForSeriesAsync(SignedInClient client, byte[] bytes, string fileName)
    {
        using var request = SignedInClient.UploadRequest(new ByteArrayContent(bytes), fileName, "image/jpeg", client.Token);
        request.RequestUri = new Uri("/api/uploads?kind=series", UriKind.Relative);
        using var response = await client.Http.SendAsync(request);
        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<UploadReply>(JsonSerializerOptions.Web))!;
    }

    /// <summary>Uploads <paramref name="count"/> unique photos for a series and creates it; returns its id and the media ids in order.</summary>
    private async Task<(Guid SeriesId, List<Guid> Media)> CreateSeriesAsync(SignedInClient client, string patient, int count)
    {
        var patientId = await client.PatientIdAsync(patient);
        var uploads = new List<UploadReply>();
        for (var i = 0; i < count; i++) uploads.Add(await UploadForSeriesAsync(client, TestUploads.UniqueJpeg(64, 48), $"p{i + 1}.jpg"));
        using var response = await client.PostJsonAsync($"/api/patients/{patientId}/series", new { uploadIds = uploads.Select(u => u.UploadId) });
        await SignedInClient.ExpectAsync(response, HttpStatusCode.Created);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(JsonSerializerOptions.Web)).GetProperty("id").GetGuid();
        return (id, uploads.Select(u => u.MediaFileId).ToList());
    }

    /// <summary>The stored files (original and variants) of a blob.</summary>
    private async Task<IReadOnlyList<string>> FilesOfAsync(Guid mediaFileId)
    {
        var media = await app.DbAsync(db => db.MediaFiles.AsNoTracking().SingleAsync(m => m.Id == mediaFileId));
        return new MediaFiles.Core.Storage.BlobFiles(media.FilePath, media.MimeType).Owned;
    }
}
