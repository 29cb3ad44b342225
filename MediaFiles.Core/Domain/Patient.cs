using System.Globalization;
using System.Text;

namespace MediaFiles.Core.Domain;

public enum PatientStatus
{
    Outpatient = 0,
    Inpatient = 1,
    Emergency = 2,
    Discharged = 3,
    Transferred = 4,
}

public sealed class Patient
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }

    /// <summary>The hospital's record number (MRN): unique within a hospital, required.</summary>
    public required string Mrn { get; set; }

    public DateOnly Birthday { get; set; }
    public PatientStatus Status { get; set; }
    public Guid WardId { get; set; }
    public Ward? Ward { get; set; }
    public string? Bed { get; set; }

    /// <summary>
    /// Name, MRN and bed folded for search (<see cref="PatientSearchText.Fold"/>); the Core writes it on
    /// every save (MediaFilesDbContext), nothing else should.
    /// </summary>
    public string SearchText { get; set; } = "";
}

/// <summary>
/// The folding patient search uses on both sides: lower case, accents removed ("Lucía" → "lucia"),
/// runs of spaces as one. SQLite's LIKE folds neither accents nor non-ASCII case, so the folded text is stored.
/// </summary>
public static class PatientSearchText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.IsWhiteSpace(c) ? ' ' : char.ToLowerInvariant(c));
        }
        return string.Join(' ', sb.ToString().Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The words of a query, folded; every one must occur in a patient's search text.</summary>
    public static IReadOnlyList<string> Words(string? query) =>
        Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string For(Patient p) => Fold($"{p.Name} {p.Mrn} {p.Bed}");
}
