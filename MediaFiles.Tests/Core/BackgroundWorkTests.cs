using System.Collections.Concurrent;
using MediaFiles.Core.Access;
using MediaFiles.Core.Background;
using MediaFiles.Core.Data;
using MediaFiles.Core.Domain;
using MediaFiles.Core.Maintenance;
using MediaFiles.Tests.Support;
using MediaFiles.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaFiles.Tests.Core;

/// <summary>
/// The one shape of background work: the throttled progress writer (on the context factory) and the
/// queue-worker host that runs any <see cref="IWorkQueue"/>, woken by its <see cref="WorkSignal{TQueue}"/>.
/// </summary>
public sealed class BackgroundWorkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // ---------------------------------------------------------------- the progress writer

    /// <summary>Saves recorded in order, with how many ran at once at most.</summary>
    private sealed class SaveLog
    {
        private int _running;
        public ConcurrentQueue<int> Saved { get; } = new();
        public int MaxAtOnce { get; private set; }
        public Func<int, Task> Before { get; set; } = _ => Task.CompletedTask;

        public async Task SaveAsync(MediaFilesDbContext db, int percent)
        {
            var now = Interlocked.Increment(ref _running);
            MaxAtOnce = Math.Max(MaxAtOnce, now);
            try
            {
                Assert.NotNull(db); // a context of its own, from the factory
                await Before(percent);
                Saved.Enqueue(percent);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    [Fact]
    public async Task Progress_is_published_on_every_rise_and_saved_only_every_few_points()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var log = new SaveLog();
        var published = new List<int>();
        var progress = host.Services.GetRequiredService<ProgressWriter>()
            .Start(Guid.NewGuid(), log.SaveAsync, published.Add, new ProgressThrottle(5, TimeSpan.Zero));

        foreach (var p in new[] { 1, 2, 2, 1, 4, 5, 7, 9, 10, 3, 14, 150 }) progress.Report(p);
        await progress.FlushAsync();

        // Only a rise is published; 100 is the job's final state, never a report.
        Assert.Equal([1, 2, 4, 5, 7, 9, 10, 14, 99], published);
        // Saved when at least 5 points above the last save.
        Assert.Equal([5, 10, 99], log.Saved);
        Assert.Equal(99, progress.Last);
    }

    [Fact]
    public async Task Progress_is_saved_at_most_every_interval()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var log = new SaveLog();
        var progress = host.Services.GetRequiredService<ProgressWriter>()
            .Start(Guid.NewGuid(), log.SaveAsync, _ => { }, new ProgressThrottle(1, TimeSpan.FromSeconds(2)));

        progress.Report(10);
        progress.Report(20);
        host.Clock.Advance(TimeSpan.FromSeconds(3));
        progress.Report(30);
        progress.Report(40);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(50);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(60);
        await progress.FlushAsync();

        Assert.Equal([30, 60], log.Saved);
    }

    [Fact]
    public async Task Saves_run_one_at_a_time_in_order_and_flush_waits_for_the_last()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new SaveLog { Before = p => p == 5 ? release.Task : Task.CompletedTask };
        var progress = host.Services.GetRequiredService<ProgressWriter>()
            .Start(Guid.NewGuid(), log.SaveAsync, _ => { }, new ProgressThrottle(5, TimeSpan.Zero));

        progress.Report(5);  // starts a save that hangs
        progress.Report(10); // waits behind it
        progress.Report(15);
        var flush = progress.FlushAsync();
        await Task.Delay(100); // give a wrongly concurrent save the chance to run
        Assert.False(flush.IsCompleted);
        Assert.Empty(log.Saved);

        release.SetResult();
        await flush.WaitAsync(Patience);

        Assert.Equal([5, 10, 15], log.Saved);
        Assert.Equal(1, log.MaxAtOnce);
    }

    [Fact]
    public async Task A_failing_save_is_not_the_jobs_failure()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var log = new SaveLog { Before = p => p == 5 ? throw new InvalidOperationException("database busy") : Task.CompletedTask };
        var progress = host.Services.GetRequiredService<ProgressWriter>()
            .Start(Guid.NewGuid(), log.SaveAsync, _ => { }, new ProgressThrottle(5, TimeSpan.Zero));

        progress.Report(5);
        progress.Report(10);
        await progress.FlushAsync(); // does not throw

        Assert.Equal([10], log.Saved);
    }

    [Fact]
    public async Task Progress_goes_into_a_running_jobs_row_through_a_context_of_its_own()
    {
        await using var host = await CoreTestHost.CreateAsync();
        var admin = await host.UserAsync("admin");
        var id = await host.WithAsync<MaintenanceJobs, Guid>(j => j.StartAsync(admin, MaintenanceJobKind.IntegrityScan));
        await host.DbAsync(db => db.MaintenanceJobs.Where(j => j.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, MaintenanceJobState.Running)));
        var progress = host.Services.GetRequiredService<ProgressWriter>().Start(id,
            (db, percent) => db.MaintenanceJobs.Where(j => j.Id == id && j.State == MaintenanceJobState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, percent)),
            _ => { }, new ProgressThrottle(5, TimeSpan.Zero));

        progress.Report(3);
        progress.Report(42);
        await progress.FlushAsync();

        Assert.Equal(42, await host.DbAsync(db => db.MaintenanceJobs.Where(j => j.Id == id).Select(j => j.Progress).SingleAsync()));
    }

    // ---------------------------------------------------------------- the queue-worker host

    /// <summary>What the fake queue holds and did, shared by every scope.</summary>
    private sealed class FakeQueueState
    {
        public ConcurrentQueue<string> Queued { get; } = new();
        public ConcurrentQueue<string> Ran { get; } = new();
        public int Requeued;
        public bool CanRun { get; init; } = true;
        public int Concurrency { get; init; } = 1;
        public Func<string, Task> Run { get; set; } = _ => Task.CompletedTask;
        public int FailNextCalls;
        public TaskCompletionSource<string> NextRan { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>Set when a look at the queue found nothing or failed: the worker goes to sleep next.</summary>
        public TaskCompletionSource Idle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class FakeQueue(FakeQueueState state) : IWorkQueue
    {
        public string JobsName => "fake jobs";
        public int Concurrency => state.Concurrency;
        // Far longer than any test: a job that runs soon after a wake-up was woken, not polled.
        public TimeSpan PollInterval => TimeSpan.FromMinutes(10);
        public Task<bool> CanRunAsync() => Task.FromResult(state.CanRun);

        public Task<int> RequeueInterruptedAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref state.Requeued);
            return Task.FromResult(0);
        }

        public async Task<bool> RunNextAsync(CancellationToken ct)
        {
            if (Interlocked.Decrement(ref state.FailNextCalls) >= 0)
            {
                state.Idle.TrySetResult();
                throw new InvalidOperationException("the database is gone");
            }
            if (!state.Queued.TryDequeue(out var job))
            {
                state.Idle.TrySetResult();
                return false;
            }
            Assert.Equal(1, state.Requeued); // interrupted jobs are queued again before anything runs
            await state.Run(job);
            state.Ran.Enqueue(job);
            state.NextRan.TrySetResult(job);
            return true;
        }
    }

    private static (QueueWorkerService<FakeQueue> Worker, WorkSignal<FakeQueue> Signal, ServiceProvider Services) Worker(FakeQueueState state)
    {
        var services = new ServiceCollection()
            .AddSingleton(state)
            .AddScoped<FakeQueue>()
            .AddSingleton(typeof(WorkSignal<>))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var signal = services.GetRequiredService<WorkSignal<FakeQueue>>();
        var worker = new QueueWorkerService<FakeQueue>(services.GetRequiredService<IServiceScopeFactory>(), signal,
            NullLogger<QueueWorkerService<FakeQueue>>.Instance);
        return (worker, signal, services);
    }

    [Fact]
    public async Task The_host_runs_what_is_queued_at_start_and_wakes_on_the_signal()
    {
        var state = new FakeQueueState();
        state.Queued.Enqueue("queued before start");
        var (worker, signal, services) = Worker(state);
        await using var _ = services;

        await worker.StartAsync(CancellationToken.None);
        Assert.Equal("queued before start", await state.NextRan.Task.WaitAsync(Patience));

        // Idle now, asleep for the ten-minute poll: only the signal can make it look again soon.
        await state.Idle.Task.WaitAsync(Patience);
        state.NextRan = new(TaskCreationOptions.RunContinuationsAsynchronously);
        state.Queued.Enqueue("queued later");
        signal.Wake();
        Assert.Equal("queued later", await state.NextRan.Task.WaitAsync(Patience));

        await worker.StopAsync(CancellationToken.None);
        Assert.Equal(["queued before start", "queued later"], state.Ran);
        Assert.Equal(1, state.Requeued);
    }

    [Fact]
    public async Task The_host_runs_as_many_jobs_at_once_as_the_queue_says()
    {
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var state = new FakeQueueState
        {
            Concurrency = 2,
            Run = async _ =>
            {
                if (Interlocked.Increment(ref started) == 2) bothStarted.SetResult();
                // Neither finishes before the other has started: with one worker this would time out.
                await bothStarted.Task.WaitAsync(Patience);
            },
        };
        state.Queued.Enqueue("a");
        state.Queued.Enqueue("b");
        var (worker, _, services) = Worker(state);
        await using var __ = services;

        await worker.StartAsync(CancellationToken.None);
        await bothStarted.Task.WaitAsync(Patience);
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(2, started);
    }

    [Fact]
    public async Task A_queue_that_cannot_run_here_is_left_alone()
    {
        var state = new FakeQueueState { CanRun = false };
        state.Queued.Enqueue("needs ffmpeg");
        var (worker, signal, services) = Worker(state);
        await using var _ = services;

        await worker.StartAsync(CancellationToken.None);
        signal.Wake();
        // The host gives up on a queue that cannot run here: its loop ends without a look at the queue.
        await worker.ExecuteTask!.WaitAsync(Patience);
        await worker.StopAsync(CancellationToken.None);

        Assert.Empty(state.Ran);
        Assert.Equal(0, state.Requeued);
        Assert.Equal(["needs ffmpeg"], state.Queued); // still queued, for a server that can run it
    }

    [Fact]
    public async Task The_queue_itself_failing_does_not_stop_the_worker()
    {
        var state = new FakeQueueState { FailNextCalls = 1 };
        var (worker, signal, services) = Worker(state);
        await using var _ = services;

        await worker.StartAsync(CancellationToken.None); // its first look fails
        await state.Idle.Task.WaitAsync(Patience);
        state.Queued.Enqueue("after the failure");
        signal.Wake();

        Assert.Equal("after the failure", await state.NextRan.Task.WaitAsync(Patience));
        await worker.StopAsync(CancellationToken.None);
    }
}
