using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Photos;
using MediaFiles.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Tests.Core;

/// <summary>Patient search ignores case, accents and word order; MRNs are required and unique per hospital.</summary>
public sealed class PatientSearchTests
{
    [Theory]
    [InlineData("Lucía Romero", "lucia romero")]
    [InlineData("  ÁNGEL   Muñoz ", "angel munoz")]
    [InlineData("Zoë Ørsted", "zoe ørsted")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Fold_lowers_case_removes_accents_and_collapses_spaces(string? text, string folded) =>
        Assert.Equal(folded, PatientSearchText.Fold(text));

    [Fact]
    public void The_search_text_holds_name_mrn_and_bed_folded() =>
        Assert.Equal("lucia romero seg-412507 3b-09",
            PatientSearchText.For(new Patient { Name = "Lucía Romero", Mrn = "SEG-412507", Bed = "3B-09" }));

    [Theory]
    [InlineData("lucia", "Lucía Romero")]
    [InlineData("LUCÍA", "Lucía Romero")]
    [InlineData("marsh h", "Helena Marsh")]
    [InlineData("Marsh   Helena", "Helena Marsh")]
    [InlineData("SEG-104823", "Helena Marsh")]
    [InlineData("seg-104823", "Helena Marsh")]
    [InlineData("3b-04", "Amara Nwosu")]
    public async Task Search_ignores_case_accents_and_word_order_and_finds_by_mrn(string query, string expected)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        var found = await host.WithAsync<PatientDirectory, IReadOnlyList<PatientSummary>>(d => d.SearchAsync(nurse, query));
        Assert.Equal([expected], found.Select(p => p.Name));
    }

    [Fact]
    public async Task Every_word_must_match_and_the_summary_carries_the_mrn()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        Assert.Empty(await host.WithAsync<PatientDirectory, IReadOnlyList<PatientSummary>>(d => d.SearchAsync(nurse, "marsh weber")));
        var all = await host.WithAsync<PatientDirectory, IReadOnlyList<PatientSummary>>(d => d.SearchAsync(nurse, null));
        Assert.Equal("SEG-104823", all.Single(p => p.Name == "Helena Marsh").Mrn);
    }

    [Fact]
    public async Task The_search_text_follows_a_rename()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var nurse = await host.UserAsync("nurse");
        await host.DbAsync(async db =>
        {
            var p = await db.Patients.SingleAsync(x => x.Name == "Jonas Weber");
            p.Name = "Jonás Weber-Ibáñez";
            return await db.SaveChangesAsync();
        });
        var found = await host.WithAsync<PatientDirectory, IReadOnlyList<PatientSummary>>(d => d.SearchAsync(nurse, "ibanez jonas"));
        Assert.Equal(["Jonás Weber-Ibáñez"], found.Select(p => p.Name));
    }

    [Fact]
    public async Task An_mrn_is_unique_within_a_hospital_but_may_repeat_in_another()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var medical = await host.DbAsync(db => db.Wards.Where(w => w.Name == "Medical Ward 2A").Select(w => w.Id).SingleAsync());

        // Same hospital (another ward): refused.
        var refused = await Assert.ThrowsAsync<ValidationException>(() => host.DbAsync(db =>
        {
            db.Patients.Add(new Patient { Name = "Copy Cat", Mrn = "SEG-104823", Birthday = new DateOnly(1980, 1, 1), WardId = medical });
            return db.SaveChangesAsync();
        }));
        Assert.Contains("SEG-104823", refused.Message);

        // Two new ones with the same number in one save: refused too.
        await Assert.ThrowsAsync<ValidationException>(() => host.DbAsync(db =>
        {
            db.Patients.Add(new Patient { Name = "Twin A", Mrn = "SEG-900001", Birthday = new DateOnly(1980, 1, 1), WardId = medical });
            db.Patients.Add(new Patient { Name = "Twin B", Mrn = "SEG-900001", Birthday = new DateOnly(1980, 1, 1), WardId = medical });
            return db.SaveChangesAsync();
        }));

        // Another hospital: the same number is another patient's.
        var mercy = new Ward { Name = "Ward 1 North", Hospital = "Mercy County Hospital" };
        await host.DbAsync(db =>
        {
            db.Patients.Add(new Patient { Name = "Other Marsh", Mrn = "SEG-104823", Birthday = new DateOnly(1980, 1, 1), Ward = mercy });
            return db.SaveChangesAsync();
        });
        Assert.Equal(2, await host.DbAsync(db => db.Patients.CountAsync(p => p.Mrn == "SEG-104823")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_new_patient_needs_an_mrn(string mrn)
    {
        await using var host = await CoreTestHost.CreateAsync();
        var medical = await host.DbAsync(db => db.Wards.Where(w => w.Name == "Medical Ward 2A").Select(w => w.Id).SingleAsync());
        await Assert.ThrowsAsync<ValidationException>(() => host.DbAsync(db =>
        {
            db.Patients.Add(new Patient { Name = "No Number", Mrn = mrn, Birthday = new DateOnly(1980, 1, 1), WardId = medical });
            return db.SaveChangesAsync();
        }));
    }
}
