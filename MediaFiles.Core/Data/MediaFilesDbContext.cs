using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Data.Configurations;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Data;

/// <remarks>
/// Add a migration with:
/// <c>dotnet ef migrations add Name --project MediaFiles.Core -o Data/Migrations</c>
/// </remarks>
public sealed class MediaFilesDbContext(DbContextOptions<MediaFilesDbContext> options) : DbContext(options)
{
    public DbSet<Ward> Wards => Set<Ward>();
    public DbSet<AppUser> Users => Set<AppUser>();
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Event> Events => Set<Event>();
    public DbSet<Photo> Photos => Set<Photo>();
    public DbSet<PhotoSeries> PhotoSeries => Set<PhotoSeries>();
    public DbSet<PhotoSeriesFile> PhotoSeriesFiles => Set<PhotoSeriesFile>();
    public DbSet<VideoClip> VideoClips => Set<VideoClip>();
    public DbSet<MediaFile> MediaFiles => Set<MediaFile>();
    public DbSet<StagedUpload> StagedUploads => Set<StagedUpload>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ReviewMark> ReviewMarks => Set<ReviewMark>();
    public DbSet<FlagReply> FlagReplies => Set<FlagReply>();
    public DbSet<MaintenanceJob> MaintenanceJobs => Set<MaintenanceJob>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAuditChanges();
        PreparePatientsAsync(CancellationToken.None).GetAwaiter().GetResult();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAuditChanges();
        await PreparePatientsAsync(cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// A patient saved carries an MRN, unique within its hospital, and its folded search text
    /// (<see cref="PatientSearchText"/>) is written here, so no caller can forget it.
    /// </summary>
    private async Task PreparePatientsAsync(CancellationToken ct)
    {
        var saved = ChangeTracker.Entries<Patient>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
        var checkedSoFar = new HashSet<(string? Hospital, string Mrn)>();
        foreach (var entry in saved)
        {
            var patient = entry.Entity;
            patient.Mrn = (patient.Mrn ?? "").Trim();
            if (patient.Mrn.Length == 0)
                throw new ValidationException("A patient needs a hospital record number (MRN).");
            patient.SearchText = PatientSearchText.For(patient);

            var hospital = patient.Ward?.Hospital
                ?? await Wards.Where(w => w.Id == patient.WardId).Select(w => w.Hospital).FirstOrDefaultAsync(ct);
            var taken = !checkedSoFar.Add((hospital, patient.Mrn))
                || await Patients.AnyAsync(o => o.Id != patient.Id && o.Mrn == patient.Mrn && o.Ward!.Hospital == hospital, ct);
            if (taken)
                throw new ValidationException($"Another patient in this hospital already has the record number {patient.Mrn}.");
        }
    }

    /// <summary>The audit trail is append-only: an audit row may be added, never changed or removed.</summary>
    private void RefuseAuditChanges()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("The audit trail is append-only: audit rows cannot be changed or deleted.");
    }

    /// <summary>Every time is stored in UTC; SQLite keeps no kind, so reads are marked UTC again (JSON then ends in Z).</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new WardConfiguration());
        modelBuilder.ApplyConfiguration(new AppUserConfiguration());
        modelBuilder.ApplyConfiguration(new PatientConfiguration());
        modelBuilder.ApplyConfiguration(new EventConfiguration());
        modelBuilder.ApplyConfiguration(new PhotoConfiguration());
        modelBuilder.ApplyConfiguration(new PhotoSeriesConfiguration());
        modelBuilder.ApplyConfiguration(new PhotoSeriesFileConfiguration());
        modelBuilder.ApplyConfiguration(new VideoClipConfiguration());
        modelBuilder.ApplyConfiguration(new MediaFileConfiguration());
        modelBuilder.ApplyConfiguration(new StagedUploadConfiguration());
        modelBuilder.ApplyConfiguration(new AuditEntryConfiguration());
        modelBuilder.ApplyConfiguration(new ReviewMarkConfiguration());
        modelBuilder.ApplyConfiguration(new FlagReplyConfiguration());
        modelBuilder.ApplyConfiguration(new MaintenanceJobConfiguration());
        SnakeCaseNames.Apply(modelBuilder);
    }
}
