using MediaFiles.Core.Ingest;

namespace MediaFiles.Core.Admin;

/// <summary>
/// Storage-sized byte counts for people: "1.2 GB", "3.4 TB". Below a gigabyte it is
/// <see cref="SizeText.Of"/> (the upload limits' wording), which stops at megabytes.
/// </summary>
public static class ByteSize
{
    private const long GB = 1024L * 1024 * 1024;
    private const long TB = 1024L * GB;

    public static string Text(long bytes) => bytes switch
    {
        >= TB => $"{bytes / (double)TB:0.#} TB",
        >= GB => $"{bytes / (double)GB:0.#} GB",
        < 0 => "0 bytes",
        _ => SizeText.Of(bytes),
    };
}
