using System.Reflection;
using System.Text.Json;
using MediaFiles.Core.Ingest;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Events;
using Microsoft.Extensions.Logging;

namespace MediaFiles.Tests.Core;

/// <summary>The in-process bus: every subscription can be given back, a broken subscriber harms nobody and is logged, and every message can cross a network.</summary>
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
                0 => bus.Subscribe<UploadProgress>(_ => { Interlocked.Increment(ref delivered); return Task.CompletedTask; }),
                1 => bus.Subscribe<TimelineChanged>(_ => { Interlocked.Increment(ref delivered); return Task.CompletedTask; }),
                _ => bus.Subscribe<MediaProcessingChanged>(_ => { Interlocked.Increment(ref delivered); return Task.CompletedTask; }),
            });
        }
        Assert.Equal(1000, bus.SubscriptionCount);

        // Open and close them from many threads at once, twice each (a double dispose is harmless).
        await Parallel.ForEachAsync(handles, (h, _) => { h.Dispose(); h.Dispose(); return ValueTask.CompletedTask; });

        Assert.Equal(0, bus.SubscriptionCount);
        bus.Publish(new TimelineChanged(Guid.NewGuid(), Guid.NewGuid()));
        bus.Publish(new MediaProcessingChanged(Guid.NewGuid(), PlayableState.Ready, 100, null));
        bus.Publish(new UploadProgress(Guid.NewGuid(), "k", Guid.NewGuid(), UploadStage.Checking, MediaKind.Image));
        Assert.Equal(0, delivered);
    }

    [Fact]
    public async Task A_failing_subscriber_is_logged_with_the_message_type_and_the_others_still_run()
    {
        var log = new RecordingLogger();
        var bus = new InProcessMediaEventBus(log);
        var received = new List<Guid>();
        var late = new TaskCompletionSource();
        using var broken = bus.Subscribe<TimelineChanged>(_ => throw new InvalidOperationException("broken subscriber"));
        using var faulted = bus.Subscribe<TimelineChanged>(_ => Task.FromException(new InvalidOperationException("faulted task")));
        using var faultsLater = bus.Subscribe<TimelineChanged>(async _ => { await late.Task; throw new InvalidOperationException("later"); });
        using var good = bus.Subscribe<TimelineChanged>(change => { lock (received) received.Add(change.EventId); return Task.CompletedTask; });

        var id = Guid.NewGuid();
        bus.Publish(new TimelineChanged(Guid.NewGuid(), id));
        late.SetResult();

        Assert.Equal([id], received);
        await log.WaitForAsync(3);
        Assert.All(log.Entries, e => Assert.Equal((LogLevel.Error, nameof(TimelineChanged)), (e.Level, e.MessageType)));
        Assert.Equal(["broken subscriber", "faulted task", "later"], log.Entries.Select(e => e.Exception!.Message).Order());
    }

    [Fact]
    public void Each_message_type_reaches_only_its_own_subscribers_and_a_filter_in_the_handler_picks_a_batch()
    {
        var bus = new InProcessMediaEventBus();
        var mine = Guid.NewGuid();
        var seen = new List<UploadStage>();
        var timeline = 0;
        using var subscription = bus.Subscribe<UploadProgress>(p => { if (p.BatchId == mine) seen.Add(p.Stage); return Task.CompletedTask; });
        using var other = bus.Subscribe<TimelineChanged>(_ => { timeline++; return Task.CompletedTask; });

        bus.Publish(new UploadProgress(Guid.NewGuid(), "k", Guid.NewGuid(), UploadStage.Checking, MediaKind.Image));
        bus.Publish(new UploadProgress(mine, "k", Guid.NewGuid(), UploadStage.Checking, MediaKind.Image));

        Assert.Equal([UploadStage.Checking], seen);
        Assert.Equal(0, timeline);
    }

    public static TheoryData<string> MessageTypes() =>
        new(typeof(IMediaEvent).Assembly.GetTypes().Where(IsMessage).Select(t => t.FullName!));

    private static bool IsMessage(Type t) => typeof(IMediaEvent).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false };

    [Fact]
    public void The_core_has_the_five_known_messages()
    {
        var names = typeof(IMediaEvent).Assembly.GetTypes().Where(IsMessage).Select(t => t.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { nameof(UploadProgress), nameof(IngestActivity), nameof(MediaProcessingChanged), nameof(TimelineChanged), nameof(MaintenanceJobChanged) }, names);
    }

    /// <summary>What a network backplane needs: plain values only, and a JSON round trip gives an equal record.</summary>
    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void A_message_is_plain_values_and_round_trips_through_json(string typeName)
    {
        var type = typeof(IMediaEvent).Assembly.GetType(typeName)!;
        Assert.True(type.IsSealed, "a message is a sealed record");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
            Assert.True(IsPlainValue(property.PropertyType), $"{type.Name}.{property.Name} is a {property.PropertyType.Name}, not a plain value");

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var message = constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray());

        var json = JsonSerializer.Serialize(message, type);
        var back = JsonSerializer.Deserialize(json, type);

        Assert.Equal(message, back);
    }

    private static bool IsPlainValue(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsEnum || t.IsPrimitive || t == typeof(string) || t == typeof(Guid) || t == typeof(decimal)
            || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(DateOnly);
    }

    // Not the defaults: a value that a lossy serializer would get wrong.
    private static object? Sample(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t.IsEnum) return Enum.GetValues(t).GetValue(Enum.GetValues(t).Length - 1);
        if (t == typeof(string)) return "Ünïcode “text” 42";
        if (t == typeof(Guid)) return Guid.NewGuid();
        if (t == typeof(bool)) return true;
        if (t == typeof(DateTime)) return new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        if (t == typeof(DateTimeOffset)) return new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        if (t == typeof(TimeSpan)) return TimeSpan.FromMinutes(90);
        return Convert.ChangeType(42, t, System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class RecordingLogger : ILogger<InProcessMediaEventBus>
    {
        public sealed record Entry(LogLevel Level, string? MessageType, Exception? Exception);

        private readonly List<Entry> _entries = [];

        public IReadOnlyList<Entry> Entries { get { lock (_entries) return _entries.ToList(); } }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var type = (state as IEnumerable<KeyValuePair<string, object?>>)?.FirstOrDefault(kv => kv.Key == "MessageType").Value as string;
            lock (_entries) _entries.Add(new Entry(logLevel, type, exception));
            _logged.Release();
        }

        private readonly SemaphoreSlim _logged = new(0);

        /// <summary>Waits for <paramref name="count"/> log entries in all (10 s at most), then checks there are exactly that many.</summary>
        public async Task WaitForAsync(int count)
        {
            for (var seen = 0; seen < count; seen++)
                if (!await _logged.WaitAsync(TimeSpan.FromSeconds(10))) break;
            Assert.Equal(count, Entries.Count);
        }
    }
}
