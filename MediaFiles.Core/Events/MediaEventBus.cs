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

/// <summary>A video's playable copy moved on (queued, running with a percent, ready, failed).</summary>
public sealed record MediaProcessingChanged(Guid MediaFileId, Domain.PlayableState State, int Progress, string? Error);

/// <summary>Something on a patient's timeline changed (media added, edited or removed).</summary>
public sealed record TimelineChanged(Guid PatientId, Guid EventId);

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
    void Publish(UploadProgress progress);
    void Publish(TimelineChanged change);
    void Publish(MediaProcessingChanged change);

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

    public int SubscriptionCount => _uploads.Values.Sum(h => h.Count) + _timeline.Count + _processing.Count;

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
