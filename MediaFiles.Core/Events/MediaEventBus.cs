using System.Collections.Concurrent;

namespace MediaFiles.Core.Events;

public enum UploadStage
{
    Receiving,
    Checking,
    Variants,
    Saved,
    Duplicate,
    Refused,
}

/// <summary>A server-side step of one upload. BatchId and FileKey come from the uploading page.</summary>
public sealed record UploadProgress(Guid BatchId, string FileKey, Guid UserId, UploadStage Stage, string? Message = null, Guid? UploadId = null);

/// <summary>
/// One upload's server-side step, for everyone who can see the patient (the live review page): the
/// same stages as <see cref="UploadProgress"/>, without the file's name.
/// </summary>
public sealed record IngestActivity(Guid PatientId, Guid BatchId, string FileKey, Guid UserId, UploadStage Stage, bool IsVideo);

/// <summary>A video's playable copy moved on (queued, running with a percent, ready, failed).</summary>
public sealed record MediaProcessingChanged(Guid MediaFileId, Domain.PlayableState State, int Progress, string? Error);

/// <summary>Something on a patient's timeline changed (media added, edited or removed).</summary>
public sealed record TimelineChanged(Guid PatientId, Guid EventId);

/// <summary>An admin maintenance job moved on (queued, running with a percent, finished). Carries no patient data.</summary>
public sealed record MaintenanceJobChanged(Guid JobId, Domain.MaintenanceJobKind Kind, Domain.MaintenanceJobState State, int Progress, string Summary);

/// <summary>
/// The media event bus: ingest stages, transcode progress and timeline changes, published by the
/// Core and the endpoints, subscribed to by components through disposable handles. In-process now
/// (<see cref="InProcessMediaEventBus"/>); a multi-server implementation can replace it.
/// </summary>
public interface IMediaEventBus
{
    IDisposable SubscribeUploads(Guid batchId, Func<UploadProgress, Task> handler);
    IDisposable SubscribeTimeline(Func<TimelineChanged, Task> handler);
    IDisposable SubscribeProcessing(Func<MediaProcessingChanged, Task> handler);
    IDisposable SubscribeMaintenance(Func<MaintenanceJobChanged, Task> handler);
    IDisposable SubscribeIngest(Func<IngestActivity, Task> handler);
    void Publish(UploadProgress progress);
    void Publish(TimelineChanged change);
    void Publish(MediaProcessingChanged change);
    void Publish(MaintenanceJobChanged change);
    void Publish(IngestActivity activity);

    /// <summary>Live subscriptions, all kinds together: a component that forgot to dispose shows here.</summary>
    int SubscriptionCount { get; }
}

/// <summary>
/// In-process bus between the HTTP upload path and the Blazor circuits. Handlers run on the
/// publisher's thread, so components marshal with InvokeAsync; a failing handler never reaches
/// the publisher. Subscriptions are disposable handles.
/// </summary>
public sealed class InProcessMediaEventBus : IMediaEventBus
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, Func<UploadProgress, Task>>> _uploads = new();
    private readonly ConcurrentDictionary<Guid, Func<TimelineChanged, Task>> _timeline = new();
    private readonly ConcurrentDictionary<Guid, Func<MediaProcessingChanged, Task>> _processing = new();
    private readonly ConcurrentDictionary<Guid, Func<MaintenanceJobChanged, Task>> _maintenance = new();

    public IDisposable SubscribeMaintenance(Func<MaintenanceJobChanged, Task> handler)
    {
        var key = Guid.NewGuid();
        _maintenance[key] = handler;
        return new Subscription(() => _maintenance.TryRemove(key, out _));
    }

    public void Publish(MaintenanceJobChanged change)
    {
        foreach (var handler in _maintenance.Values) Fire(handler, change);
    }
    private readonly ConcurrentDictionary<Guid, Func<IngestActivity, Task>> _ingest = new();

    public IDisposable SubscribeIngest(Func<IngestActivity, Task> handler)
    {
        var key = Guid.NewGuid();
        _ingest[key] = handler;
        return new Subscription(() => _ingest.TryRemove(key, out _));
    }

    public void Publish(IngestActivity activity)
    {
        foreach (var handler in _ingest.Values) Fire(handler, activity);
    }

    public IDisposable SubscribeProcessing(Func<MediaProcessingChanged, Task> handler)
    {
        var key = Guid.NewGuid();
        _processing[key] = handler;
        return new Subscription(() => _processing.TryRemove(key, out _));
    }

    public void Publish(MediaProcessingChanged change)
    {
        foreach (var handler in _processing.Values) Fire(handler, change);
    }

    public IDisposable SubscribeUploads(Guid batchId, Func<UploadProgress, Task> handler)
    {
        var key = Guid.NewGuid();
        _uploads.GetOrAdd(batchId, _ => new())[key] = handler;
        return new Subscription(() =>
        {
            if (_uploads.TryGetValue(batchId, out var handlers))
            {
                handlers.TryRemove(key, out _);
                if (handlers.IsEmpty) _uploads.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<Guid, Func<UploadProgress, Task>>>(batchId, handlers));
            }
        });
    }

    public int SubscriptionCount => _uploads.Values.Sum(h => h.Count) + _timeline.Count + _processing.Count + _ingest.Count + _maintenance.Count;

    public IDisposable SubscribeTimeline(Func<TimelineChanged, Task> handler)
    {
        var key = Guid.NewGuid();
        _timeline[key] = handler;
        return new Subscription(() => _timeline.TryRemove(key, out _));
    }

    public void Publish(UploadProgress progress)
    {
        if (!_uploads.TryGetValue(progress.BatchId, out var handlers)) return;
        foreach (var handler in handlers.Values) Fire(handler, progress);
    }

    public void Publish(TimelineChanged change)
    {
        foreach (var handler in _timeline.Values) Fire(handler, change);
    }

    private static void Fire<T>(Func<T, Task> handler, T message)
    {
        try
        {
            _ = handler(message).ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
        }
        catch
        {
            // A subscriber's failure is its own; the upload goes on.
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
