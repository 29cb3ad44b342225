using MediaFiles.Core.Events;
using Microsoft.AspNetCore.Components;

namespace MediaFiles.Web.Components;

/// <summary>
/// A component kept live by the media event bus. <see cref="Subscribe{T}(Func{T, bool}, Func{T, Task})"/>
/// hands a message to the component on its renderer, re-renders, reports a failure to the renderer
/// (the error boundary or the circuit's error UI) and gives every subscription back on dispose.
/// </summary>
public abstract class LiveComponent : ComponentBase, IAsyncDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private volatile bool _disposed;

    [Inject] protected IMediaEventBus Bus { get; set; } = default!;

    /// <summary>
    /// Runs <paramref name="onMessage"/> on the renderer (InvokeAsync) for messages passing
    /// <paramref name="filter"/>, then StateHasChanged; an exception goes to DispatchExceptionAsync.
    /// The filter runs on the publisher's thread: keep it to the message and fields that are
    /// replaced, not changed in place.
    /// </summary>
    protected void Subscribe<T>(Func<T, bool> filter, Func<T, Task> onMessage) where T : class, IMediaEvent
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _subscriptions.Add(Bus.Subscribe<T>(message => _disposed || !filter(message) ? Task.CompletedTask : InvokeAsync(async () =>
        {
            if (_disposed) return; // it arrived while the component was going
            try
            {
                await onMessage(message);
                StateHasChanged();
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        })));
    }

    /// <inheritdoc cref="Subscribe{T}(Func{T, bool}, Func{T, Task})"/>
    protected void Subscribe<T>(Func<T, bool> filter, Action<T> onMessage) where T : class, IMediaEvent =>
        Subscribe<T>(filter, message =>
        {
            onMessage(message);
            return Task.CompletedTask;
        });

    /// <summary>The component's own clean-up, after its subscriptions are given back.</summary>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }
}
