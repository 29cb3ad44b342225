using System.Globalization;
using System.Text.Json;

namespace MediaFiles.Core.Maintenance;

/// <summary>
/// What an integrity scan found, as stored in <see cref="Domain.MaintenanceJob.ResultJson"/>: media
/// ids and store-relative paths only (paths hold no patient data). The lists stop at
/// <see cref="MaxListed"/> entries; the counts are always complete.
/// </summary>
/// <param name="Checked">MediaFile rows checked.</param>
/// <param name="MissingFiles">Rows whose original or a derived file is gone.</param>
/// <param name="HashMismatches">Rows whose original no longer hashes to the stored SHA-256.</param>
/// <param name="Orphans">Stored files no row owns.</param>
/// <param name="RecentSkipped">Files without a row written within the last hour: most likely uploads in flight, not reported yet.</param>
public sealed record IntegrityScanResult(
    int Checked,
    int MissingCount,
    int MismatchCount,
    int OrphanCount,
    IReadOnlyList<Guid> MissingFiles,
    IReadOnlyList<Guid> HashMismatches,
    IReadOnlyList<string> Orphans,
    int RecentSkipped)
{
    public const int MaxListed = 1000;

    public int Problems => MissingCount + MismatchCount + OrphanCount;

    public string Summary()
    {
        var text = $"{Checked.ToString("N0", CultureInfo.InvariantCulture)} {Plural(Checked, "original", "originals")} checked: ";
        if (Problems == 0) return text + "no problems";
        var parts = new List<string>();
        if (MissingCount > 0) parts.Add($"{MissingCount} missing");
        if (MismatchCount > 0) parts.Add($"{MismatchCount} {Plural(MismatchCount, "hash mismatch", "hash mismatches")}");
        if (OrphanCount > 0) parts.Add($"{OrphanCount} {Plural(OrphanCount, "file", "files")} without a record");
        return text + string.Join(", ", parts);
    }

    internal static string Plural(int n, string one, string many) => n == 1 ? one : many;
}

/// <summary>What regenerating the variants did, as stored in the job's ResultJson.</summary>
/// <param name="Images">Photos whose large, medium and thumbnail were written again.</param>
/// <param name="Videos">Clips whose poster and thumbnail were written again.</param>
/// <param name="FilesWritten">Variant files replaced.</param>
/// <param name="VideosSkipped">Clips left as they were because ffmpeg is not installed.</param>
/// <param name="Failed">Media ids whose variants could not be written (original missing or unreadable); their old variants are untouched.</param>
public sealed record RegenerateResult(int Images, int Videos, int FilesWritten, int VideosSkipped, int FailedCount, IReadOnlyList<Guid> Failed)
{
    public string Summary()
    {
        var text = $"{Images.ToString("N0", CultureInfo.InvariantCulture)} {IntegrityScanResult.Plural(Images, "photo", "photos")} and " +
            $"{Videos.ToString("N0", CultureInfo.InvariantCulture)} {IntegrityScanResult.Plural(Videos, "clip", "clips")}: " +
            $"{FilesWritten.ToString("N0", CultureInfo.InvariantCulture)} {IntegrityScanResult.Plural(FilesWritten, "file", "files")} written";
        if (FailedCount > 0) text += $", {FailedCount} failed";
        if (VideosSkipped > 0) text += $", {VideosSkipped} {IntegrityScanResult.Plural(VideosSkipped, "clip", "clips")} skipped (no ffmpeg)";
        return text;
    }
}

/// <summary>The job's ResultJson: camelCase JSON, read back leniently (a row from an older version still shows).</summary>
public static class MaintenanceJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T result) => JsonSerializer.Serialize(result, Options);

    /// <summary>The stored result, or null when the row holds none or something else.</summary>
    public static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
