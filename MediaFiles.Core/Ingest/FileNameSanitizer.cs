using System.Text;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// Makes an uploaded file name safe to keep in the database and to put in a Content-Disposition
/// header: base name only, no control or reserved characters, at most 100 characters.
/// </summary>
public static class FileNameSanitizer
{
    public const int MaxLength = 100;
    private const string Reserved = "<>:\"/\\|?*";

    public static string Sanitize(string? name, string fallbackExtension)
    {
        name ??= "";
        // Base name only, whichever separator the client used.
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0) name = name[(slash + 1)..];

        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            if (char.IsControl(c) || Reserved.Contains(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
                sb.Append('_');
            else
                sb.Append(c);
        }
        var clean = sb.ToString().Trim().Trim('.');
        if (clean.Length == 0) clean = $"upload.{fallbackExtension}";

        if (clean.Length > MaxLength)
        {
            var ext = Path.GetExtension(clean);
            if (ext.Length > 10) ext = "";
            var cut = MaxLength - ext.Length;
            if (char.IsHighSurrogate(clean[cut - 1])) cut--; // never keep half of a surrogate pair (an emoji)
            clean = clean[..cut] + ext;
        }
        return clean;
    }
}
