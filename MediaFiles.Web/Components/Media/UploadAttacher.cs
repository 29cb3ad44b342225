using MediaFiles.Core.Access;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Photos;
using MediaFiles.Core.Series;
using MediaFiles.Core.Video;
using MediaFiles.Web.Infrastructure;

namespace MediaFiles.Web.Components.Media;

/// <summary>
/// Hands the drop zone's staged uploads to the Core: a photo or a clip per file, or a whole series.
/// It passes on only a time the user picked; the Core dates everything else (EventRules.ForNewEvent).
/// A refusal ends up on the item (or as the series' message), never as an exception on the page.
/// </summary>
public sealed class UploadAttacher(CoreScope core, CurrentUser user, Guid patientId)
{
    /// <summary>One staged file onto the timeline, as a photo or a clip by what the server found it to be.</summary>
    public async Task AttachAsync(UploadItem item, string description, DateTime? picked)
    {
        var uploadId = item.UploadId!.Value;
        try
        {
            var eventId = item.IsVideo
                ? await core.RunAsync<VideoClipService, Guid>(s => s.CreateAsync(user, patientId, uploadId, description, picked))
                : await core.RunAsync<PhotoService, Guid>(s => s.CreateAsync(user, patientId, uploadId, description, picked));
            UploadQueue.Added(item, eventId);
        }
        catch (RefusedException ex)
        {
            UploadQueue.AttachFailed(item, ex.Message);
        }
    }

    /// <summary>The staged files as a new series, or added to <paramref name="seriesId"/>. Returns the refusal's message, or null.</summary>
    public async Task<string?> CommitSeriesAsync(IReadOnlyList<UploadItem> ready, Guid? seriesId, string caption, DateTime? picked)
    {
        var ids = ready.Select(i => i.UploadId!.Value).ToList();
        try
        {
            if (seriesId is { } id)
            {
                // Appending commutes with any reorder, so take the current version rather than fail on it.
                var version = (await core.RunAsync<SeriesQuery, SeriesDetail>(q => q.GetAsync(user, id))).Version;
                await core.RunAsync<PhotoSeriesService, int>(s => s.AddAsync(user, id, ids, version));
            }
            else
            {
                seriesId = await core.RunAsync<PhotoSeriesService, Guid>(s => s.CreateAsync(user, patientId, ids, caption, picked));
            }
            foreach (var item in ready) UploadQueue.Added(item, seriesId);
            return null;
        }
        catch (RefusedException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Gives up staged files: no blob, no row, no file of theirs is left.</summary>
    public Task DiscardAsync(IReadOnlyList<UploadItem> staged) =>
        core.RunAsync<StagedUploadService>(s => s.DiscardAsync(user, staged.Select(i => i.UploadId!.Value).ToList()));
}
