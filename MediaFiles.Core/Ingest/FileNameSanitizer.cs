using System.Text;

namespace MediaFiles.Core.Ingest;

/// <summary>
/// Makes an uploaded file name safe to keep in the database and to put in a Content-Disposition
/// header and to save on any desktop: base name only, no control, format (bidi) or reserved characters,
/// no leading or trailing dots, no Windows device name (CON, NUL, COM1, …), at most 100 characters.
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
        // Trailing dots and spaces go (Windows drops them); leading dots go from the base name, so a
        // name of dots and an extension only ("....jpg", ".jpg") keeps its extension on a neutral name.
        var clean = sb.ToString().Trim().TrimEnd('.', ' ');
        if (clean.Length == 0) clean = $"upload.{fallbackExtension}";
        var extension = Path.GetExtension(clean);
        var stem = clean[..^extension.Length].Trim().TrimStart('.').TrimStart();
        clean = (stem.Length == 0 ? "upload" : stem) + extension;
        // A Windows device name (CON, NUL, COM1, …) cannot be saved as a file there, whatever its extension.
        if (IsWindowsDeviceName(clean)) clean = "_" + clean;

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

    private static readonly HashSet<string> WindowsDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    };

    /// <summary>Windows reads the part before the first dot, without trailing spaces, as the device name.</summary>
    private static bool IsWindowsDeviceName(string name)
    {
        var dot = name.IndexOf('.');
        return WindowsDeviceNames.Contains((dot < 0 ? name : name[..dot]).TrimEnd(' '));
    }
}
