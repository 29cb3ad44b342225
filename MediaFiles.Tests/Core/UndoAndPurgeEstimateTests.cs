using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Timeline;
using MediaFiles.Core.Trash;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Core;

/// <summary>The deleter's Undo within the undo window, and what a purge would remove.</summary>
public sealed class UndoAndPurgeEstimateTests
{
    private const string SurgicalPatient = "Helena Marsh";

    [Fact]
    public async Task The_deleter_undoes_within_the_window_audited_as_a_restore_and_published()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photoId = await AddPhotoAsync(host, nurse, patient, 60);
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, photoId));
        var published = new List<TimelineChanged>();
        using var _ = host.Services.GetRequiredService<IMediaEventBus>().Subscribe<TimelineChanged>(c => { lock (published) published.Add(c); return Task.CompletedTask; });

        host.Clock.Advance(host.Options.UndoWindow - TimeSpan.FromSeconds(1));
        await host.WithAsync<DeletedEvents>(t => t.RestoreAsync(nurse, photoId));

        Assert.Equal(photoId, Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient))).EventId);
        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.EventRestore));
        Assert.Equal((nurse.Id, photoId, patient, "undo"), (audit.UserId, audit.EventId, audit.PatientId, audit.Details));
        Assert.Contains(published, c => c.EventId == photoId && c.PatientId == patient);
    }

    [Fact]
    public async Task After_the_window_the_deleters_undo_is_refused_and_nobody_else_may_undo()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var mine = await AddPhotoAsync(host, nurse, patient, 61);
        var theirs = await AddPhotoAsync(host, nurse, patient, 62);
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, mine));
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(admin, theirs));

        // Someone else's delete is not the nurse's to undo, even at once.
        var notHers = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<DeletedEvents>(t => t.RestoreAsync(nurse, theirs)));
        Assert.Contains("Only an admin", notHers.Message);

        host.Clock.Advance(host.Options.UndoWindow + TimeSpan.FromSeconds(1));
        var late = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<DeletedEvents>(t => t.RestoreAsync(nurse, mine)));
        Assert.Equal("Too late to undo: an admin can restore it from Deleted items for 30 days.", late.Message);
        Assert.Empty(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(nurse, patient)));

        // An admin still restores as before, and that is no undo.
        await host.WithAsync<DeletedEvents>(t => t.RestoreAsync(admin, mine));
        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditActions.EventRestore));
        Assert.Equal((admin.Id, (string?)null), (audit.UserId, audit.Details));
    }

    [Fact]
    public async Task The_purge_estimate_counts_entries_past_the_retention_and_the_bytes_only_they_hold()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var admin = await host.UserAsync("admin");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var alone = await AddPhotoAsync(host, nurse, patient, 63);
        var shared = await AddPhotoAsync(host, nurse, patient, 64);
        var sharedTwin = await AddPhotoAsync(host, nurse, patient, 64); // the same bytes: one blob, two holders
        var recent = await AddPhotoAsync(host, nurse, patient, 65);
        Assert.Equal(new PurgeEstimate(0, 0), await Estimate(host, admin));

        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, alone));
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(nurse, shared));
        host.Clock.Advance(host.Options.DeletedRetention + TimeSpan.FromMinutes(1));
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(admin, recent));

        var aloneSize = await host.DbAsync(db => db.Photos.IgnoreQueryFilters().Where(p => p.Id == alone).Select(p => p.MediaFile!.Size).SingleAsync());
        Assert.Equal(new PurgeEstimate(2, aloneSize), await Estimate(host, admin));
        await Assert.ThrowsAsync<ForbiddenException>(() => Estimate(host, nurse));

        // The twin goes too: now its blob's every holder is past the retention.
        await host.WithAsync<PhotoService>(s => s.DeleteAsync(admin, sharedTwin));
        host.Clock.Advance(host.Options.DeletedRetention + TimeSpan.FromMinutes(1));
        var sharedSize = await host.DbAsync(db => db.Photos.IgnoreQueryFilters().Where(p => p.Id == shared).Select(p => p.MediaFile!.Size).SingleAsync());
        Assert.Equal(new PurgeEstimate(4, aloneSize + sharedSize + await host.DbAsync(db => db.Photos.IgnoreQueryFilters().Where(p => p.Id == recent).Select(p => p.MediaFile!.Size).SingleAsync())),
            await Estimate(host, admin));
    }

    private static Task<PurgeEstimate> Estimate(CoreTestHost host, CurrentUser user) =>
        host.WithAsync<DeletedEvents, PurgeEstimate>(t => t.EstimatePurgeAsync(user));

    private static async Task<Guid> AddPhotoAsync(CoreTestHost host, CurrentUser user, Guid patientId, int seed)
    {
        var upload = await host.IngestAsync(TestImages.SmallJpeg(seed), $"photo-{seed}.jpg", "image/jpeg", user.Id);
        return await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(user, patientId, upload.UploadId, null, null));
    }
}
