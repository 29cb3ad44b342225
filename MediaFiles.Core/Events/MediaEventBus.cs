using System.Collections.Concurrent;

namespace MediaFiles.Core.Events;

/// <summary>A server-side step of one upload, while the server works on it (the outcome is the HTTP reply). BatchId and FileKey come from the uploading page.</summary>
public sealed record UploadProgress(Guid BatchId, string FileKey, Guid UserId, UploadStage Stage, Ingest.MediaKind Kind);

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
    private readonly ConcurrentDictionary<Guid, Topic<UploadProgress>> _uploads = new();
    private readonly Topic<TimelineChanged> _timeline = new();
    private readonly Topic<MediaProcessingChanged> _processing = new();
    private readonly Topic<IngestActivity> _ingest = new();
    private readonly Topic<MaintenanceJobChanged> _maintenance = new();

    public IDisposable SubscribeUploads(Guid batchId, Func<UploadProgress, Task> handler)
    {
        var topic = _uploads.GetOrAdd(batchId, _ => new());
        var subscription = topic.Subscribe(handler);
        return new Subscription(() =>
        {
            subscription.Dispose();
            // The batch's page has gone: drop its topic (only if it is still this, empty, one).
            if (topic.Count == 0) _uploads.TryRemove(new KeyValuePair<Guid, Topic<UploadProgress>>(batchId, topic));
        });
    }

    public IDisposable SubscribeTimeline(Func<TimelineChanged, Task> handler) => _timeline.Subscribe(handler);
    public IDisposable SubscribeProcessing(Func<MediaProcessingChanged, Task> handler) => _processing.Subscribe(handler);
    public IDisposable SubscribeIngest(Func<IngestActivity, Task> handler) => _ingest.Subscribe(handler);
    public IDisposable SubscribeMaintenance(Func<MaintenanceJobChanged, Task> handler) => _maintenance.Subscribe(handler);

    public void Publish(UploadProgress progress)
    {
        if (_uploads.TryGetValue(progress.BatchId, out var topic)) topic.Publish(progress);
    }

    public void Publish(TimelineChanged change) => _timeline.Publish(change);
    public void Publish(MediaProcessingChanged change) => _processing.Publish(change);
    public void Publish(IngestActivity activity) => _ingest.Publish(activity);
    public void Publish(MaintenanceJobChanged change) => _maintenance.Publish(change);

    public int SubscriptionCount =>
        _uploads.Values.Sum(t => t.Count) + _timeline.Count + _processing.Count + _ingest.Count + _maintenance.Count;

    /// <summary>The handlers of one kind of message.</summary>
    private sealed class Topic<T>
    {
        private readonly ConcurrentDictionary<Guid, Func<T, Task>> _handlers = new();

        public int Count => _handlers.Count;

        public IDisposable Subscribe(Func<T, Task> handler)
        {
            var key = Guid.NewGuid();
            _handlers[key] = handler;
            return new Subscription(() => _handlers.TryRemove(key, out _));
        }

        public void Publish(T message)
        {
            foreach (var handler in _handlers.Values)
            {
                try
                {
                    _ = handler(message).ContinueWith(static _ => { }, TaskContinuationOptions.OnlyOnFaulted);
                }
                catch
                {
                    // A subscriber's failure is its own; the publisher goes on.
                }
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
