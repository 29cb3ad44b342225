using System.Net;
using MediaFiles.Core.Audit;
using MediaFiles.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Web;

/// <summary>The audit trail cannot be rewritten, and per-user rate limits answer 429 with Retry-After and an audit row.</summary>
public sealed class AuditAndRateLimitTests
{
    [Fact]
    public async Task Audit_rows_cannot_be_changed_or_deleted_through_EF_or_SQL()
    {
        await using var app = MediaFilesWebFactory.With(null);
        await app.InitializeAsync();
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync("Helena Marsh");
        var (_, upload) = await nurse.AddPhotoAsync(patient, TestUploads.UniqueJpeg(), "heel.jpg");
        await SignedInClient.ExpectAsync(await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail"), HttpStatusCode.OK);

        var before = await app.DbAsync(db => db.AuditEntries.CountAsync());
        Assert.True(before >= 3);
        var nurseId = await app.UserIdAsync("nurse");
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.SignIn && a.UserId == nurseId && a.Success)));

        var changed = await Assert.ThrowsAsync<InvalidOperationException>(() => app.DbAsync(async db =>
        {
            var row = await db.AuditEntries.FirstAsync();
            row.Success = !row.Success;
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("append-only", changed.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.DbAsync(async db =>
        {
            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync());
            return await db.SaveChangesAsync();
        }));
        var update = await Assert.ThrowsAsync<SqliteException>(() => app.DbAsync(db =>
            db.AuditEntries.ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, "rewritten"))));
        Assert.Contains("append-only", update.Message);
        await Assert.ThrowsAsync<SqliteException>(() => app.DbAsync(db => db.AuditEntries.ExecuteDeleteAsync()));

        Assert.Equal(before, await app.DbAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Details == "rewritten")));
    }

    [Fact]
    public async Task Media_reads_over_the_limit_get_429_with_Retry_After_and_are_audited()
    {
        await using var app = MediaFilesWebFactory.With(new Dictionary<string, string?> { ["MediaFiles:RateLimits:MediaReadsPer10Minutes"] = "3" });
        await app.InitializeAsync();
        using var nurse = await app.SignInAsync("nurse");
        var patient = await nurse.PatientIdAsync("Helena Marsh");
        var (_, upload) = await nurse.AddPhotoAsync(patient, TestUploads.UniqueJpeg(), "heel.jpg");

        for (var i = 0; i < 3; i++)
            await SignedInClient.ExpectAsync(await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail"), HttpStatusCode.OK);
        var refused = await nurse.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After tells when to come back");
        Assert.NotEqual("image/jpeg", refused.Content.Headers.ContentType?.MediaType);
        var userId = await app.UserIdAsync("nurse");
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.CountAsync(a => a.Action == AuditActions.RateLimited && a.UserId == userId && !a.Success)));

        // Per user: another user of the ward is not held back by the nurse's reads.
        using var admin = await app.SignInAsync("admin");
        await SignedInClient.ExpectAsync(await admin.Http.GetAsync($"/media/{upload.MediaFileId}/thumbnail"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Uploads_over_the_limit_get_429_and_store_nothing()
    {
        await using var app = MediaFilesWebFactory.With(new Dictionary<string, string?> { ["MediaFiles:RateLimits:UploadsPerHour"] = "2" });
        await app.InitializeAsync();
        using var nurse = await app.SignInAsync("nurse");
        await nurse.UploadAsync(TestUploads.UniqueJpeg(), "a.jpg");
        await nurse.UploadAsync(TestUploads.UniqueJpeg(), "b.jpg");
        var before = await app.SnapshotAsync();

        var refused = await nurse.PostUploadAsync(TestUploads.UniqueJpeg(), "c.jpg");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        (await app.SnapshotAsync()).AssertSameAs(before);
    }
}
