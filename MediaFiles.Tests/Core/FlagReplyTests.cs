using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Review;
using MediaFiles.Core.Timeline;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaFiles.Tests.Core;

/// <summary>The ward answers a flag: replies, then resolved (who, when); who may do which; the "flagged, unresolved" feed.</summary>
public sealed class FlagReplyTests
{
    private const string SurgicalPatient = "Helena Marsh";  // Surgical Ward 3B
    private const string MedicalPatient = "Samuel Okoro";   // Medical Ward 2A

    [Fact]
    public async Task A_nurse_replies_then_resolves_the_timeline_shows_both_each_is_audited_and_published()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var reviewer = await host.UserAsync("reviewer");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var photo = await AddPhotoAsync(host, nurse, patient, 1);
        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photo, ReviewKind.Flagged, "Edges look red, photograph again"));
        var published = new List<TimelineChanged>();
        using var _ = host.Services.GetRequiredService<IMediaEventBus>().Subscribe<TimelineChanged>(c => { lock (published) published.Add(c); return Task.CompletedTask; });

        host.Clock.Advance(TimeSpan.FromMinutes(10));
        var replied = await host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(nurse, photo, "  Re-photographed in daylight at 14:10  "));
        Assert.True(replied.IsOpenFlag);
        var reply = Assert.Single(replied.Replies);
        Assert.Equal(("Re-photographed in daylight at 14:10", "Nora Lindqvist", host.Clock.UtcNow), (reply.Text, reply.AuthorName, reply.At));

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var resolved = await host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse, photo));
        Assert.False(resolved.IsOpenFlag);
        Assert.Equal(("Nora Lindqvist", (DateTime?)host.Clock.UtcNow), (resolved.ResolvedByName, resolved.ResolvedAt));
        Assert.Single(resolved.Replies);  // resolving is no reply of its own

        var item = Assert.Single(await host.WithAsync<TimelineQuery, IReadOnlyList<TimelineItem>>(q => q.GetAsync(reviewer, patient)));
        Assert.Equal(("Edges look red, photograph again", "Nora Lindqvist", 1), (item.Review!.Note, item.Review.ResolvedByName, item.Review.Replies.Count));
        Assert.Equal(2, published.Count(c => c.EventId == photo && c.PatientId == patient));
        var audit = await host.DbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.FlagReply || a.Action == AuditActions.FlagResolve).ToListAsync());
        Assert.Equal([AuditActions.FlagReply, AuditActions.FlagResolve], audit.OrderBy(a => a.At).Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal((nurse.Id, (Guid?)photo, (Guid?)patient, true), (a.UserId, a.EventId, a.PatientId, a.Success)));
        Assert.DoesNotContain(audit, a => (a.Details ?? "").Contains("daylight"));
        Assert.Contains(AuditActions.FlagReply, AuditActions.All);

        // Resolved once; a reply to a resolved flag is refused.
        await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(reviewer, photo)));
        await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(nurse, photo, "More")));
    }

    [Fact]
    public async Task Ward_staff_and_admins_reply_reviewers_only_resolve_and_another_wards_entry_is_not_found()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var nurse2A = await host.UserAsync("nurse-2a");
        var reviewer = await host.UserAsync("reviewer");
        var admin = await host.UserAsync("admin");
        var photo = await AddPhotoAsync(host, nurse, await host.PatientIdAsync(SurgicalPatient), 2);
        var medical = await AddPhotoAsync(host, nurse2A, await host.PatientIdAsync(MedicalPatient), 3);
        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, photo, ReviewKind.Flagged, "Blurred"));
        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(admin, medical, ReviewKind.Flagged, "Blurred"));

        var reviewerReply = await Assert.ThrowsAsync<ForbiddenException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(reviewer, photo, "Fine")));
        Assert.Contains("Ward staff", reviewerReply.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(nurse2A, photo, "Not mine")));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse, medical)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(reviewer, medical)));
        var empty = await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(nurse, photo, "  ")));
        var tooLong = await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(nurse, photo, new string('x', FlagReply.TextMaxLength + 1))));
        Assert.Contains($"at most {FlagReply.TextMaxLength}", tooLong.Message);
        Assert.Equal(0, await host.DbAsync(db => db.FlagReplies.CountAsync()));

        await host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(admin, photo, "Asked the night shift"));
        var byReviewer = await host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(reviewer, photo));
        Assert.Equal("Dr. Ravi Menon", byReviewer.ResolvedByName);
        await host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse2A, medical));
    }

    [Fact]
    public async Task Only_a_newest_flag_is_answered_and_the_feed_filters_flagged_unresolved()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var reviewer = await host.UserAsync("reviewer");
        var patient = await host.PatientIdAsync(SurgicalPatient);
        var open = await AddPhotoAsync(host, nurse, patient, 4);
        var done = await AddPhotoAsync(host, nurse, patient, 5);
        var reflagged = await AddPhotoAsync(host, nurse, patient, 6);
        var unmarked = await AddPhotoAsync(host, nurse, patient, 7);
        var seen = await AddPhotoAsync(host, nurse, patient, 8);
        foreach (var id in new[] { open, done, reflagged })
            await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, id, ReviewKind.Flagged, "Look again"));
        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, seen, ReviewKind.Reviewed, null));
        await host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse, done));
        await host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse, reflagged));
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.WithAsync<ReviewService, ReviewState>(s => s.MarkAsync(reviewer, reflagged, ReviewKind.Flagged, "Still red"));

        await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ReplyAsync(nurse, unmarked, "Hello")));
        await Assert.ThrowsAsync<ValidationException>(() => host.WithAsync<ReviewService, ReviewState>(s => s.ResolveAsync(nurse, seen)));

        var feed = await host.WithAsync<ReviewFeedQuery, IReadOnlyList<ReviewFeedItem>>(q => q.GetAsync(reviewer, new ReviewFilter(OpenFlagsOnly: true)));
        Assert.Equal(new[] { open, reflagged }.Order(), feed.Select(f => f.Item.EventId).Order());
        Assert.All(feed, f => Assert.True(f.Item.Review!.IsOpenFlag));
        var history = await host.WithAsync<ReviewService, IReadOnlyList<ReviewState>>(s => s.HistoryAsync(nurse, reflagged));
        Assert.Equal([("Still red", (string?)null), ("Look again", "Nora Lindqvist")], history.Select(h => (h.Note, h.ResolvedByName)));
    }

    private static async Task<Guid> AddPhotoAsync(CoreTestHost host, CurrentUser user, Guid patientId, int seed)
    {
        var upload = await host.IngestAsync(TestImages.SmallJpeg(seed), $"photo-{seed}.jpg", "image/jpeg", user.Id);
        return await host.WithAsync<PhotoService, Guid>(s => s.CreateAsync(user, patientId, upload.UploadId, null, null));
    }
}
