namespace MediaFiles.Core.Admin;

/// <summary>What the admin dashboard shows, read at <see cref="AsOfUtc"/>.</summary>
/// <param name="Today">The ward-local date of <see cref="AsOfUtc"/>: the last entry of <see cref="UploadsPerDay"/>.</param>
/// <param name="UploadsPerDay">
/// Uploads accepted (saved or duplicate) per ward-local day, oldest first: exactly
/// <see cref="DashboardQuery.WindowDays"/> entries ending today, days without uploads included.
/// </param>
/// <param name="Refusals">Refused uploads in the same window, by reason, most first.</param>
/// <param name="TopUploaders">Who uploaded most in the same window (at most <see cref="DashboardQuery.TopUploaderCount"/>), most first.</param>
public sealed record DashboardFigures(
    DateTime AsOfUtc,
    DateOnly Today,
    MediaTotals Totals,
    StorageFigures Storage,
    DedupFigures Dedup,
    IReadOnlyList<DailyUploads> UploadsPerDay,
    IReadOnlyList<RefusalCount> Refusals,
    IReadOnlyList<UploaderCount> TopUploaders,
    SystemHealth Health)
{
    /// <summary>Accepted uploads over the whole window.</summary>
    public int UploadsInWindow => UploadsPerDay.Sum(d => d.Count);

    public int RefusalsInWindow => Refusals.Sum(r => r.Count);
}

/// <summary>Live (not deleted) timeline entries by type.</summary>
public sealed record MediaTotals(int Photos, int Series, int PhotosInSeries, int Clips);

/// <param name="Blobs">Stored blobs (MediaFile rows): one per distinct content, however many entries share it.</param>
/// <param name="OriginalBytes">Σ of the blobs' sizes: the originals as uploaded.</param>
/// <param name="VariantBytes">The derived files measured on disk (large, medium, thumbnail, poster, playable copy).</param>
/// <param name="VariantFiles">How many derived files there are.</param>
public sealed record StorageFigures(int Blobs, long OriginalBytes, long VariantBytes, int VariantFiles)
{
    public long TotalBytes => OriginalBytes + VariantBytes;
}

/// <param name="DuplicateUploads">
/// Uploads whose bytes were already stored, ever (audit "media.upload" rows with detail "duplicate"),
/// including duplicates discarded or swept since: how often dedup answered.
/// </param>
/// <param name="BytesSaved">
/// Original bytes not stored a second time, now: Σ over blobs of Size × (ReferenceCount − 1). Each
/// extra holder (an entry or a staged upload) of a blob would otherwise have had its own copy, so this
/// is what the store would grow by without dedup today. Variants (which dedup spares too) are not
/// counted, so it is a lower bound; copies whose holders are gone no longer count.
/// </param>
/// <param name="SharedBlobs">Blobs held more than once.</param>
public sealed record DedupFigures(int DuplicateUploads, long BytesSaved, int SharedBlobs);

public sealed record DailyUploads(DateOnly Day, int Count);

public sealed record RefusalCount(string Code, string Label, int Count);

public sealed record UploaderCount(Guid UserId, string DisplayName, int Uploads);

/// <param name="DatabaseBytes">The SQLite file and its -wal journal; null when the database is not a file.</param>
/// <param name="FreeDiskBytes">Free space for this process on the storage root's volume; null when unknown.</param>
/// <param name="TotalDiskBytes">Size of that volume; null when unknown.</param>
/// <param name="FfmpegVersion">What <c>ffmpeg -version</c> says (e.g. "5.1.6-0+deb12u1"); null when ffmpeg does not run.</param>
/// <param name="TranscodesQueued">Clips waiting for their browser-playable copy.</param>
/// <param name="TranscodesRunning">Clips being converted now.</param>
public sealed record SystemHealth(
    long? DatabaseBytes,
    long? FreeDiskBytes,
    long? TotalDiskBytes,
    string? FfmpegVersion,
    int TranscodesQueued,
    int TranscodesRunning)
{
    /// <summary>Below this share of the volume free, the disk is reported as low.</summary>
    public const double LowDiskFraction = 0.10;

    public int QueueLength => TranscodesQueued + TranscodesRunning;

    public double? FreeDiskFraction => FreeDiskBytes is { } free && TotalDiskBytes is { } total && total > 0 ? (double)free / total : null;

    public bool DiskLow => FreeDiskFraction < LowDiskFraction;

    public bool FfmpegInstalled => FfmpegVersion is not null;
}
