using MediaFiles.Core.Audit;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaFiles.Core.Data.Configurations;

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> b)
    {
        b.ToTable("events_event", t => t.HasCheckConstraint("CK_events_event_type", "event_type IN (3, 9, 10)"));
        b.UseTptMappingStrategy();
        b.Property(e => e.Description).HasMaxLength(Event.DescriptionMaxLength);
        b.HasOne(e => e.Patient).WithMany().HasForeignKey(e => e.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(e => e.CreatedBy).WithMany().HasForeignKey(e => e.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(e => e.UpdatedBy).WithMany().HasForeignKey(e => e.UpdatedById).OnDelete(DeleteBehavior.Restrict);
        // A deleted event is hidden everywhere; the trash (admins) and the purge read with IgnoreQueryFilters.
        b.HasQueryFilter(e => e.DeletedAt == null);
        b.HasIndex(e => e.DeletedAt);
        // The review feed: newest uploads first across the visible patients.
        b.HasIndex(e => e.CreatedAt).IsDescending();
        b.HasIndex(e => new { e.PatientId, e.EventDateTime }).IsDescending(false, true);
        b.HasIndex(e => new { e.CreatedById, e.EventDateTime }).IsDescending(false, true);
        b.HasIndex(e => new { e.EventType, e.EventDateTime }).IsDescending(false, true);
    }
}

internal sealed class PhotoConfiguration : IEntityTypeConfiguration<Photo>
{
    public void Configure(EntityTypeBuilder<Photo> b)
    {
        b.ToTable("mediafiles_photo");
        b.HasOne(p => p.MediaFile).WithMany().HasForeignKey(p => p.MediaFileId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.MediaFileId);
    }
}

internal sealed class PhotoSeriesConfiguration : IEntityTypeConfiguration<PhotoSeries>
{
    public void Configure(EntityTypeBuilder<PhotoSeries> b)
    {
        b.ToTable("mediafiles_photoseries");
        b.Property(s => s.Caption).HasMaxLength(PhotoSeries.CaptionMaxLength);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasMany(s => s.Files).WithOne(f => f.Series).HasForeignKey(f => f.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PhotoSeriesFileConfiguration : IEntityTypeConfiguration<PhotoSeriesFile>
{
    public void Configure(EntityTypeBuilder<PhotoSeriesFile> b)
    {
        // Positions are 1-based; a reorder parks rows at negative positions inside its transaction (see PhotoSeriesService).
        b.ToTable("mediafiles_photoseriesfile", t => t.HasCheckConstraint("CK_photoseriesfile_order", "order_index <> 0"));
        b.Property(f => f.Caption).HasMaxLength(PhotoSeries.CaptionMaxLength);
        b.HasOne(f => f.MediaFile).WithMany().HasForeignKey(f => f.MediaFileId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => new { f.SeriesId, f.OrderIndex }).IsUnique();
        b.HasIndex(f => new { f.SeriesId, f.MediaFileId }).IsUnique();
        b.HasIndex(f => f.MediaFileId);
        // The photos of a deleted series are hidden with it (the same rule as Event's filter).
        b.HasQueryFilter(f => f.Series!.DeletedAt == null);
    }
}

internal sealed class VideoClipConfiguration : IEntityTypeConfiguration<VideoClip>
{
    public void Configure(EntityTypeBuilder<VideoClip> b)
    {
        b.ToTable("mediafiles_videoclip");
        b.Property(v => v.Caption).HasMaxLength(VideoClip.CaptionMaxLength);
        b.HasOne(v => v.MediaFile).WithMany().HasForeignKey(v => v.MediaFileId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(v => v.MediaFileId);
    }
}

internal sealed class MediaFileConfiguration : IEntityTypeConfiguration<MediaFile>
{
    public void Configure(EntityTypeBuilder<MediaFile> b)
    {
        b.ToTable("mediafiles_mediafile", t => t.HasCheckConstraint("CK_mediafile_refcount", "reference_count >= 0"));
        b.Property(m => m.FilePath).HasMaxLength(500);
        b.Property(m => m.OriginalFilename).HasMaxLength(255);
        b.Property(m => m.Sha256).HasMaxLength(64).IsFixedLength();
        b.HasIndex(m => m.Sha256).IsUnique();
        b.Property(m => m.MimeType).HasMaxLength(100);
        b.Property(m => m.VideoCodec).HasMaxLength(50);
        b.Property(m => m.AudioCodec).HasMaxLength(50);
        b.HasIndex(m => m.StagedAt);
        b.Property(m => m.PlayableError).HasMaxLength(500);
        b.HasIndex(m => m.PlayableState);
    }
}

internal sealed class StagedUploadConfiguration : IEntityTypeConfiguration<StagedUpload>
{
    public void Configure(EntityTypeBuilder<StagedUpload> b)
    {
        b.ToTable("mediafiles_stagedupload");
        b.HasOne(s => s.MediaFile).WithMany().HasForeignKey(s => s.MediaFileId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => s.UploadedAt);
        b.HasIndex(s => new { s.UploadedById, s.MediaFileId });
    }
}

internal sealed class ReviewMarkConfiguration : IEntityTypeConfiguration<ReviewMark>
{
    public void Configure(EntityTypeBuilder<ReviewMark> b)
    {
        b.ToTable("mediafiles_reviewmark", t => t.HasCheckConstraint("CK_reviewmark_kind", "kind IN (1, 2)"));
        b.Property(r => r.Note).HasMaxLength(ReviewMark.NoteMaxLength);
        b.HasOne(r => r.Event).WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(r => r.Reviewer).WithMany().HasForeignKey(r => r.ReviewerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.EventId, r.At });
        // Marks of a hidden (deleted) event are hidden with it.
        b.HasQueryFilter(r => r.Event!.DeletedAt == null);
        b.HasMany(r => r.Replies).WithOne(x => x.Mark).HasForeignKey(x => x.MarkId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FlagReplyConfiguration : IEntityTypeConfiguration<FlagReply>
{
    public void Configure(EntityTypeBuilder<FlagReply> b)
    {
        b.ToTable("mediafiles_flagreply", t => t.HasCheckConstraint("CK_flagreply_text", "resolves = 1 OR length(text) > 0"));
        b.Property(r => r.Text).HasMaxLength(FlagReply.TextMaxLength);
        b.HasOne(r => r.Author).WithMany().HasForeignKey(r => r.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.MarkId, r.At });
        // A flag is resolved once.
        b.HasIndex(r => r.MarkId).IsUnique().HasFilter("resolves = 1").HasDatabaseName("IX_mediafiles_flagreply_resolution");
        // Replies of a hidden (deleted) event are hidden with it, like its marks.
        b.HasQueryFilter(r => r.Mark!.Event!.DeletedAt == null);
    }
}

internal sealed class MaintenanceJobConfiguration : IEntityTypeConfiguration<MaintenanceJob>
{
    public void Configure(EntityTypeBuilder<MaintenanceJob> b)
    {
        b.ToTable("mediafiles_maintenancejob");
        b.Property(j => j.Summary).HasMaxLength(500);
        b.Property(j => j.Error).HasMaxLength(500);
        b.HasOne(j => j.RequestedBy).WithMany().HasForeignKey(j => j.RequestedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(j => new { j.State, j.RequestedAt });
        b.HasIndex(j => j.RequestedAt);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("mediafiles_auditentry");
        b.Property(a => a.Action).HasMaxLength(50);
        b.Property(a => a.Details).HasMaxLength(500);
        b.Property(a => a.ClientAddress).HasMaxLength(64);
        b.HasIndex(a => new { a.UserId, a.At });
        b.HasIndex(a => new { a.Action, a.At });
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.MediaFileId, a.At });
    }
}
