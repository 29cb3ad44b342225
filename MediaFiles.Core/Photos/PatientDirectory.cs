using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Photos;

public sealed record PatientSummary(Guid Id, string Name, string Mrn, DateOnly Birthday, PatientStatus Status, string Ward, string Hospital, string? Bed, int MediaCount);

/// <summary>The patients a user may see.</summary>
public sealed class PatientDirectory(MediaFilesDbContext db, AccessPolicy access)
{
    /// <summary>The visible patients whose name, MRN or bed hold every word of <paramref name="text"/> (case, accents and word order ignored).</summary>
    public async Task<IReadOnlyList<PatientSummary>> SearchAsync(CurrentUser user, string? text, CancellationToken ct = default)
    {
        var query = db.Patients.AsNoTracking().Where(access.VisiblePatients(user));
        // Every word of the query, in any order, within the folded name + MRN + bed (no case, no accents).
        foreach (var word in PatientSearchText.Words(text))
            query = query.Where(p => p.SearchText.Contains(word));
        return await query
            .OrderBy(p => p.Bed == null).ThenBy(p => p.Bed).ThenBy(p => p.Name)
            .Select(p => new PatientSummary(p.Id, p.Name, p.Mrn, p.Birthday, p.Status, p.Ward!.Name, p.Ward.Hospital, p.Bed,
                db.Events.Count(e => e.PatientId == p.Id)))
            .ToListAsync(ct);
    }

    /// <summary>The patient, or null when it does not exist or the user may not see it.</summary>
    public async Task<Patient?> TryFindVisibleAsync(CurrentUser user, Guid patientId, CancellationToken ct = default)
    {
        var patient = await db.Patients.AsNoTracking().Include(p => p.Ward).FirstOrDefaultAsync(p => p.Id == patientId, ct);
        return patient is not null && access.CanView(user, patient) ? patient : null;
    }

    /// <summary>The patient, or NotFound when it does not exist or the user may not see it (no existence leak).</summary>
    public async Task<Patient> FindVisibleAsync(CurrentUser user, Guid patientId, CancellationToken ct = default)
        => await TryFindVisibleAsync(user, patientId, ct) ?? throw new NotFoundException("No such patient, or not one you may see.");
}
