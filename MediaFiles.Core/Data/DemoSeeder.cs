using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Data;

/// <summary>
/// A demo ward with patients and one user per role, written only into an empty database.
/// The people are fictional.
/// </summary>
public static class DemoSeeder
{
    public static async Task SeedAsync(MediaFilesDbContext db, CancellationToken ct = default)
    {
        if (await db.Wards.AnyAsync(ct)) return;

        var surgical = new Ward { Name = "Surgical Ward 3B", Hospital = "St. Elsewhere General" };
        var medical = new Ward { Name = "Medical Ward 2A", Hospital = "St. Elsewhere General" };
        db.Wards.AddRange(surgical, medical);

        db.Users.AddRange(
            new AppUser { Subject = "nurse", DisplayName = "Nora Lindqvist", Role = Roles.WardStaff, Wards = [surgical] },
            new AppUser { Subject = "reviewer", DisplayName = "Dr. Ravi Menon", Role = Roles.Reviewer, Wards = [surgical] },
            new AppUser { Subject = "admin", DisplayName = "Ada Okafor", Role = Roles.Admin, Wards = [surgical, medical] },
            new AppUser { Subject = "nurse-2a", DisplayName = "Tomás Ferreira", Role = Roles.WardStaff, Wards = [medical] });

        db.Patients.AddRange(
            P("Helena Marsh", "SEG-104823", 1948, 3, 14, PatientStatus.Inpatient, surgical, "3B-01"),
            P("Jonas Weber", "SEG-219475", 1962, 11, 2, PatientStatus.Inpatient, surgical, "3B-02"),
            P("Amara Nwosu", "SEG-330918", 1979, 6, 23, PatientStatus.Emergency, surgical, "3B-04"),
            P("Pieter de Vries", "SEG-087362", 1955, 1, 9, PatientStatus.Inpatient, surgical, "3B-07"),
            P("Lucía Romero", "SEG-412507", 1990, 8, 30, PatientStatus.Discharged, surgical, null),
            P("Samuel Okoro", "SEG-156744", 1971, 4, 17, PatientStatus.Inpatient, medical, "2A-03"),
            P("Ingrid Halvorsen", "SEG-028391", 1938, 12, 5, PatientStatus.Inpatient, medical, "2A-05"));

        await db.SaveChangesAsync(ct);
    }

    private static Patient P(string name, string mrn, int y, int m, int d, PatientStatus status, Ward ward, string? bed) =>
        new() { Name = name, Mrn = mrn, Birthday = new DateOnly(y, m, d), Status = status, Ward = ward, Bed = bed };
}
