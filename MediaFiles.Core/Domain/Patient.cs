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
    public DateOnly Birthday { get; set; }
    public PatientStatus Status { get; set; }
    public Guid WardId { get; set; }
    public Ward? Ward { get; set; }
    public string? Bed { get; set; }
}
