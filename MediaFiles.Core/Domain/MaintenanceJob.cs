namespace MediaFiles.Core.Domain;

public enum MaintenanceJobKind
{
    /// <summary>Re-hash every original; list missing files, hash mismatches and files without rows.</summary>
    IntegrityScan = 1,
    /// <summary>Write every image's variants again at the configured sizes.</summary>
    RegenerateVariants = 2,
    /// <summary>Remove deleted entries whose retention has passed, and their blobs when nothing else holds them.</summary>
    PurgeDeleted = 3,
}

public enum MaintenanceJobState
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    /// <summary>The process stopped while the job ran; it is queued again at start.</summary>
    Interrupted = 4,
}

/// <summary>
/// A long admin job, kept in the database so that it runs on without the browser tab that asked
/// for it, and its result stays readable afterwards.
/// </summary>
public sealed class MaintenanceJob
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public MaintenanceJobKind Kind { get; set; }
    public MaintenanceJobState State { get; set; }
    /// <summary>Percent done while running.</summary>
    public int Progress { get; set; }
    public Guid RequestedById { get; set; }
    public AppUser? RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>One line for the list ("1,204 checked, 2 problems").</summary>
    public string Summary { get; set; } = "";
    /// <summary>The job's full result as JSON (ids and relative paths only, never patient data).</summary>
    public string ResultJson { get; set; } = "{}";
    /// <summary>Why the job failed, for the admin; never a stack trace.</summary>
    public string? Error { get; set; }
}
