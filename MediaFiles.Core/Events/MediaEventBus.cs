using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaFiles.Core.Events;

/// <summary>
/// Marker for bus messages: immutable records of ids, enums, strings, numbers, times — no entity or
/// object references, so a network backplane can serialize them.
/// </summary>
public interface IMediaEvent;

/// <summary>A server-side step of one upload, while the server works on it (the outcome is the HTTP reply). BatchId and FileKey come from the uploading page.</summary>
public sealed record UploadProgress(Guid BatchId, string FileKey, Guid UserId, UploadStage Stage, Ingest.MediaKind Kind) : IMediaEvent;

/// <summary>
/// One upload's server-side step, for everyone who can see the patient (the live review page): the
/// same stages as <see cref="UploadProgress"/>, without the file's name.
/// </summary>
public sealed record IngestActivity(Guid PatientId, Guid BatchId, string FileKey, Guid UserId, UploadStage Stage, bool IsVideo) : IMediaEvent;

/// <summary>A video's playable copy moved on (queued, running with a percent, ready, failed).</summary>
public sealed record MediaProcessingChanged(Guid MediaFileId, Domain.PlayableState State, int Progress, string? Error) : IMediaEvent;

/// <summary>Something on a patient's timeline changed (media added, edited or removed).</summary>
public sealed record TimelineChanged(Guid PatientId, Guid EventId) : IMediaEvent;

/// <summary>An admin maintenance job moved on (queued, running with a percent, finished). Carries no patient data.</summary>
public sealed record MaintenanceJobChanged(Guid JobId, Domain.MaintenanceJobKind Kind, Domain.MaintenanceJobState State, int Progress, string Summary) : IMediaEvent;

/// <summary>
/// The media event bus: ingest stages, transcode progress, timeline and maintenance changes,
/// published by the Core and the endpoints, subscribed to by components through disposable handles.
/// One topic per message type; a subscriber that wants only some messages (one upload batch, one
/// media file) filters in its handler. In-process now (<see cref="InProcessMediaEventBus"/>); a
/// multi-server implementation can replace it, since every message is a serializable record.
/// </summary>
public interface IMediaEventBus
{
    IDisposable Subscribe<T>(Func<T, Task> handler) where T : class, IMediaEvent;

    void Publish<T>(T message) where T : class, IMediaEvent;

    /// <summary>Live subscriptions, all kinds together: a component that forgot to dispose shows here.</summary>
    int SubscriptionCount { get; }
}

/// <summary>
/// In-process bus between the HTTP upload path, the Core and the Blazor circuits. Handlers run on
/// the publisher's thread, so components marshal onto their renderer (LiveComponent does). A failing
/// handler (a throw or a faulted task) is logged with the message type and never reaches the
/// publisher or the other handlers.
/// </summary>
public sealed class InProcessMediaEventBus(ILogger<InProcessMediaEventBus>? logger = null) : IMediaEventBus
{
    private readonly ILogger _logger = logger ?? NullLogger<InProcessMediaEventBus>.Instance;
    private readonly ConcurrentDictionary<Type, ConcurrentDictionary<long, Func<object, Task>>> _topics = new();
    private long _nextKey;

    public IDisposable Subscribe<T>(Func<T, Task> handler) where T : class, IMediaEvent
    {
        ArgumentNullException.ThrowIfNull(handler);
        var topic = _topics.GetOrAdd(typeof(T), _ => new());
        var key = Interlocked.Increment(ref _nextKey);
        topic[key] = message => handler((T)message);
        return new Subscription(() => topic.TryRemove(key, out _));
    }

    public void Publish<T>(T message) where T : class, IMediaEvent
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        if (!_topics.TryGetValue(type, out var topic)) return;
        foreach (var handler in topic.Values)
        {
            try
            {
                var task = handler(message);
                if (!task.IsCompletedSuccessfully)
                    _ = task.ContinueWith(t => LogFailure(type, t.Exception!.GetBaseException()), CancellationToken.None,
                        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            catch (Exception ex)
            {
                LogFailure(type, ex);
            }
        }
    }

    public int SubscriptionCount => _topics.Values.Sum(t => t.Count);

    private void LogFailure(Type messageType, Exception ex) =>
        _logger.LogError(ex, "A subscriber to {MessageType} failed; the other subscribers still ran", messageType.Name);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
