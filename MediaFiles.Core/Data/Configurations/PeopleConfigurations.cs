using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaFiles.Core.Data.Configurations;

internal sealed class WardConfiguration : IEntityTypeConfiguration<Ward>
{
    public void Configure(EntityTypeBuilder<Ward> b)
    {
        b.ToTable("hospitals_ward");
        b.Property(w => w.Name).HasMaxLength(100);
        b.Property(w => w.Hospital).HasMaxLength(100);
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.ToTable("accounts_user");
        b.Property(u => u.Subject).HasMaxLength(200);
        b.HasIndex(u => u.Subject).IsUnique();
        b.Property(u => u.DisplayName).HasMaxLength(150);
        b.Property(u => u.Role).HasMaxLength(20);
        b.HasMany(u => u.Wards).WithMany().UsingEntity("accounts_user_wards");
    }
}

internal sealed class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> b)
    {
        b.ToTable("patients_patient");
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Bed).HasMaxLength(20);
        b.Property(p => p.Mrn).HasMaxLength(40);
        b.HasIndex(p => p.Mrn); // unique per hospital: checked on save (the hospital is the ward's)
        b.Property(p => p.SearchText).HasMaxLength(300);
        b.HasOne(p => p.Ward).WithMany().HasForeignKey(p => p.WardId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.WardId, p.Name });
    }
}
