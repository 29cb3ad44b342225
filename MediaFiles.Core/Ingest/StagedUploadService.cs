using MediaFiles.Core.Access;
using MediaFiles.Core.Data;
using MediaFiles.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace MediaFiles.Core.Ingest;

/// <summary>Lets a user give up their own staged uploads (a cancelled series): nothing of them is left.</summary>
public sealed class StagedUploadService(MediaFilesDbContext db, MediaReferences references, Audit.AuditLog audit)
{
    public async Task DiscardAsync(CurrentUser user, IReadOnlyList<Guid> uploadIds, CancellationToken ct = default)
    {
        var ids = uploadIds.ToList();
        var toDelete = new List<string>();
        var discarded = 0;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var uploads = await db.StagedUploads.AsNoTracking()
                .Where(s => ids.Contains(s.Id) && s.UploadedById == user.Id)
                .Select(s => new { s.Id, s.MediaFileId })
                .ToListAsync(ct);
            foreach (var upload in uploads)
            {
                discarded += await db.StagedUploads.Where(s => s.Id == upload.Id).ExecuteDeleteAsync(ct);
                toDelete.AddRange(await references.ReleaseAsync(upload.MediaFileId, ct));
            }
            await tx.CommitAsync(ct);
        }
        references.DeleteFiles(toDelete);
        if (discarded > 0)
            await audit.WriteAsync(Audit.AuditActions.UploadDiscard, user.Id, true, details: $"uploads:{discarded}", ct: ct);
    }
}
