namespace MediaFiles.Core.Domain;

public sealed class Ward
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public required string Hospital { get; set; }
}
