using MediaFiles.Core.Access;
using MediaFiles.Core.Audit;
using MediaFiles.Core.Events;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Storage;

namespace MediaFiles.Core.Ingest;

/// <summary>What the sender says about one upload. Only the bytes decide what the file is.</summary>
/// <param name="ForSeries">The page is building a photo series: clips are refused.</param>
/// <param name="PatientId">The patient the upload is for, when the page says: checked before a byte is read, and the stages are then shown live to reviewers who may see that patient.</param>
/// <param name="BatchId">The uploading page's id: its stages are published for it.</param>
/// <param name="FileKey">The page's key for the file within its batch.</param>
public sealed record UploadRequest(
    string FileName, string? DeclaredMimeType, long? DeclaredLength,
    bool ForSeries = false, Guid? PatientId = null, Guid? BatchId = null, string FileKey = "");

/// <summary>
/// One upload from its first byte to a staged file, for the HTTP endpoint and any other caller: who
/// may upload (and for which patient), the ingest itself (<see cref="MediaIngest"/>: the bytes pick
/// the photo or the video pipeline), the audit rows, and the stages on the bus — for the page that
/// sends the file while the server works, and for reviewers who may see the patient until the end.
/// The outcome (saved, duplicate or refused with its reason) is the caller's answer, not a message.
/// </summary>
public sealed class UploadService(
    MediaIngest ingest,
    AccessPolicy access,
    PatientDirectory patients,
    IMediaEventBus bus,
    AuditLog audit)
{
    /// <exception cref="ForbiddenException">The user's role cannot upload.</exception>
    /// <exception cref="NotFoundException">The patient is not one the user may add media to.</exception>
    /// <exception cref="IngestRefusedException">The file was refused; the message says why and what is allowed.</exception>
    public async Task<IngestResult> UploadAsync(CurrentUser user, Stream body, UploadRequest request, CancellationToken ct)
    {
        if (!access.CanUpload(user))
        {
            await audit.WriteAsync(AuditActions.MediaUpload, user.Id, false, details: "role", ct: ct);
            throw new ForbiddenException("Your role cannot upload media.");
        }
        if (request.PatientId is { } patientId)
        {
            var patient = await patients.TryFindVisibleAsync(user, patientId, ct);
            if (patient is null || !access.CanAddMedia(user, patient))
            {
                await audit.WriteAsync(AuditActions.MediaUpload, user.Id, false, patientId: patientId, details: "patient", ct: ct);
                throw new NotFoundException("No such patient on your ward.");
            }
        }

        var stages = new StagePublisher(bus, user.Id, request);
        var category = request.ForSeries ? MediaCategory.PhotoSeries : MediaCategory.Photos;
        try
        {
            var result = await ingest.IngestAsync(body, new IngestRequest(user.Id, request.FileName, request.DeclaredMimeType, category),
                stages, ct, request.DeclaredLength);
            var duplicate = result.Outcome == IngestOutcome.Duplicate;
            stages.Finish(duplicate ? UploadStage.Duplicate : UploadStage.Saved, result.Kind);
            await audit.WriteAsync(AuditActions.MediaUpload, user.Id, true, result.MediaFileId, patientId: request.PatientId,
                details: duplicate ? "duplicate" : "saved", ct: ct);
            return result;
        }
        catch (IngestRefusedException ex)
        {
            stages.Finish(UploadStage.Refused, null);
            // Not cancellable: the refusal is recorded even when the sender has gone.
            await audit.WriteAsync(AuditActions.MediaUpload, user.Id, false, patientId: request.PatientId, details: ex.Code, ct: CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The uploader's page gets the stages while the server works (its HTTP reply brings the end);
    /// reviewers of the patient get every stage, the end included, without the file's name.
    /// </summary>
    private sealed class StagePublisher(IMediaEventBus bus, Guid userId, UploadRequest request) : IProgress<IngestStage>
    {
        private bool _isVideo;

        public void Report(IngestStage value)
        {
            _isVideo = value.Kind == MediaKind.Video;
            if (request.BatchId is not { } batch) return;
            bus.Publish(new UploadProgress(batch, request.FileKey, userId, value.Stage, value.Kind));
            if (request.PatientId is { } patient)
                bus.Publish(new IngestActivity(patient, batch, request.FileKey, userId, value.Stage, _isVideo));
        }

        public void Finish(UploadStage stage, MediaKind? kind)
        {
            if (kind is { } k) _isVideo = k == MediaKind.Video;
            if (request.BatchId is { } batch && request.PatientId is { } patient)
                bus.Publish(new IngestActivity(patient, batch, request.FileKey, userId, stage, _isVideo));
        }
    }
}
