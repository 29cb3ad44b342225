namespace MediaFiles.Core.Audit;

public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public Guid? UserId { get; set; }
    public required string Action { get; set; }
    public Guid? MediaFileId { get; set; }
    public Guid? EventId { get; set; }
    public Guid? PatientId { get; set; }
    public bool Success { get; set; }
    /// <summary>Short machine-readable detail (variant, status code, refusal code). Never patient data.</summary>
    public string? Details { get; set; }
    /// <summary>The client's IP address, for requests over HTTP (null for work without a request).</summary>
    public string? ClientAddress { get; set; }
}
