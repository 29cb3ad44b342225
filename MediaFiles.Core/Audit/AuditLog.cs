using MediaFiles.Core.Data;

namespace MediaFiles.Core.Audit;

public static class AuditActions
{
    public const string MediaRead = "media.read";
    public const string MediaUpload = "media.upload";
    public const string PhotoCreate = "photo.create";
    public const string PhotoUpdate = "photo.update";
    public const string PhotoDelete = "photo.delete";
    public const string SeriesCreate = "series.create";
    public const string SeriesReorder = "series.reorder";
    public const string SeriesAdd = "series.add";
    public const string SeriesRemove = "series.remove";
    public const string SeriesUpdate = "series.update";
    public const string SeriesDelete = "series.delete";
    public const string SeriesZip = "series.zip";
    public const string SeriesCaption = "series.caption";
    public const string UploadDiscard = "upload.discard";
    public const string VideoCreate = "video.create";
    public const string VideoUpdate = "video.update";
    public const string VideoDelete = "video.delete";
    /// <summary>A deleted entry brought back: by an admin from Deleted items, or by its deleter's Undo (details "undo").</summary>
    public const string EventRestore = "event.restore";
    public const string EventPurge = "event.purge";
    public const string RateLimited = "rate_limited";
    public const string Denied = "access.denied";
    public const string SignIn = "sign_in";
    public const string SignOut = "sign_out";
    public const string AuditExport = "audit.export";
    public const string MaintenanceStart = "maintenance.start";
    public const string FlagReply = "review.flag_reply";
    public const string FlagResolve = "review.flag_resolve";

    /// <summary>Every action above, sorted (read from the constants, so a new one is never missing from the audit viewer).</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();
}

/// <summary>Who is asking, where a request carries it (the client's address); the Web app supplies it.</summary>
public interface IAuditContext
{
    string? ClientAddress { get; }
}

internal sealed class NoAuditContext : IAuditContext
{
    public string? ClientAddress => null;
}

/// <summary>Writes audit rows. Details carry codes and ids only, never names or patient data.</summary>
/// <remarks>The trail is append-only: the context refuses to update or delete a row, and database triggers refuse it too.</remarks>
public sealed class AuditLog(MediaFilesDbContext db, TimeProvider clock, IAuditContext context)
{
    public async Task WriteAsync(string action, Guid? userId, bool success, Guid? mediaFileId = null, Guid? eventId = null,
        Guid? patientId = null, string? details = null, CancellationToken ct = default)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Action = action,
            UserId = userId,
            Success = success,
            MediaFileId = mediaFileId,
            EventId = eventId,
            PatientId = patientId,
            ClientAddress = context.ClientAddress,
            Details = details,
        });
        await db.SaveChangesAsync(ct);
    }
}
