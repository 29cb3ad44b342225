using MediaFiles.Core.Ingest;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;

namespace MediaFiles.Tests.Core;

/// <summary>The in-process bus: every subscription can be given back, and a broken subscriber harms nobody.</summary>
public sealed class MediaEventBusTests
{
    [Fact]
    public async Task A_thousand_subscriptions_opened_and_closed_leave_none_behind()
    {
        var bus = new InProcessMediaEventBus();
        var delivered = 0;
        var handles = new List<IDisposable>();
        for (var i = 0; i < 1000; i++)
        {
            handles.Add((i % 3) switch
            {
                0 => bus.SubscribeUploads(Guid.NewGuid(), _ => { Interlocked.Increment(ref delivered); return Task.CompletedTask; }),
                1 => bus.SubscribeTimeline(_ => { Interlocked.Increment(ref delivered); return Task.CompletedTask; }),
                _ => bus.SubscribeProcessing(_ => { Interlocked.Increment(ref delivered); return Task.CompletedTask; }),
            });
        }
        Assert.Equal(1000, bus.SubscriptionCount);

        // Open and close them from many threads at once, twice each (a double dispose is harmless).
        await Parallel.ForEachAsync(handles, (h, _) => { h.Dispose(); h.Dispose(); return ValueTask.CompletedTask; });

        Assert.Equal(0, bus.SubscriptionCount);
        bus.Publish(new TimelineChanged(Guid.NewGuid(), Guid.NewGuid()));
        bus.Publish(new MediaProcessingChanged(Guid.NewGuid(), PlayableState.Ready, 100, null));
        Assert.Equal(0, delivered);
    }

    [Fact]
    public void A_failing_subscriber_does_not_stop_the_others_or_the_publisher()
    {
        var bus = new InProcessMediaEventBus();
        var received = new List<Guid>();
        using var broken = bus.SubscribeTimeline(_ => throw new InvalidOperationException("broken subscriber"));
        using var faulted = bus.SubscribeTimeline(_ => Task.FromException(new InvalidOperationException("faulted task")));
        using var good = bus.SubscribeTimeline(change => { lock (received) received.Add(change.EventId); return Task.CompletedTask; });

        var id = Guid.NewGuid();
        bus.Publish(new TimelineChanged(Guid.NewGuid(), id));

        Assert.Equal([id], received);
    }

    [Fact]
    public void Upload_progress_reaches_only_its_own_batch()
    {
        var bus = new InProcessMediaEventBus();
        var mine = Guid.NewGuid();
        var seen = new List<UploadStage>();
        using var subscription = bus.SubscribeUploads(mine, p => { seen.Add(p.Stage); return Task.CompletedTask; });

        bus.Publish(new UploadProgress(Guid.NewGuid(), "k", Guid.NewGuid(), UploadStage.Checking, MediaKind.Image));
        bus.Publish(new UploadProgress(mine, "k", Guid.NewGuid(), UploadStage.Checking, MediaKind.Image));

        Assert.Equal([UploadStage.Checking], seen);
    }
}
