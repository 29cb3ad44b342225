namespace MediaFiles.Core.Ingest;

/// <summary>
/// Stage 2b: the file's name and the type the browser declared must agree with its bytes, so a
/// renamed file (a PNG called .jpg, a program called .jpg) is refused rather than guessed at.
/// </summary>
public static class TypeAgreement
{
    private static readonly Dictionary<string, string> MimeAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpg"] = "image/jpeg",
        ["image/pjpeg"] = "image/jpeg",
        ["image/x-png"] = "image/png",
        ["video/x-m4v"] = "video/mp4",
        // HEIF is one container for HEIC stills and sequences; browsers and phones name it either way.
        ["image/heif"] = "image/heic",
        ["image/heic-sequence"] = "image/heic",
        ["image/heif-sequence"] = "image/heic",
    };

    /// <summary>"a JPEG", "an MP4", "a MOV", "a WebM": by how the name is said.</summary>
    public static string Article(string name) => name is "MP4" or "MOV" ? "an" : name.Length > 0 && "AEIOU".Contains(char.ToUpperInvariant(name[0])) && name != "WebM" ? "an" : "a";

    public static void Require(DetectedType type, string fileName, string? declaredMime)
    {
        var ext = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        if (!type.Extensions.Contains(ext))
        {
            var named = ext.Length == 0 ? "has no extension" : $"is named .{ext}";
            throw new IngestRefusedException("type_mismatch",
                $"The file is {Article(type.Name)} {type.Name} {(type.IsAcceptedVideo ? "video" : "image")} but {named}: rename it to .{type.Extension}.");
        }

        var declared = (declaredMime ?? "").Split(';')[0].Trim();
        // Browsers send an empty type for unknown extensions and curl sends octet-stream: no claim to check.
        if (declared.Length == 0 || declared.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return;
        if (MimeAliases.TryGetValue(declared, out var canonical)) declared = canonical;
        if (!declared.Equals(type.MimeType, StringComparison.OrdinalIgnoreCase))
            throw new IngestRefusedException("type_mismatch",
                $"The file was sent as {declared} but its content is {type.Name} ({type.MimeType}).");
    }
}
