using MediaFiles.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MediaFiles.Core.Background;

/// <summary>
/// How often a running job's percent goes into its row: only after it moved at least
/// <paramref name="MinPoints"/> points and at least <paramref name="MinInterval"/> passed since the
/// last save (both are upper bounds on the rate of writes).
/// </summary>
public sealed record ProgressThrottle(int MinPoints, TimeSpan MinInterval);

/// <summary>
/// The one writer of a background job's progress (transcodes, maintenance jobs). Every new percent
/// goes to <c>publish</c> (the bus: pages that are open see it move); now and then, as the
/// <see cref="ProgressThrottle"/> allows, it is also saved into the job's row (so a page opened later
/// shows it). Each save runs on a fresh context from <see cref="IDbContextFactory{TContext}"/>, never
/// on the job's own; saves run one at a time, in order.
/// </summary>
public sealed class ProgressWriter(IDbContextFactory<MediaFilesDbContext> contexts, TimeProvider clock, ILogger<ProgressWriter> logger)
{
    /// <summary>The progress of one job, from 0 (already in the row when the job was claimed).</summary>
    /// <param name="jobId">For the log only.</param>
    /// <param name="save">Writes the percent into the row; it should only touch a row that is still running.</param>
    /// <param name="publish">Called with every new percent.</param>
    public JobProgress Start(Guid jobId, Func<MediaFilesDbContext, int, Task> save, Action<int> publish, ProgressThrottle throttle) =>
        new(this, jobId, save, publish, throttle, clock.GetUtcNow());

    internal DateTimeOffset Now => clock.GetUtcNow();

    internal async Task SaveAfterAsync(Task previous, Guid jobId, Func<MediaFilesDbContext, int, Task> save, int percent)
    {
        await previous;
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await save(db, percent);
        }
        catch (Exception ex)
        {
            // The percent on an open page comes from the bus; a missed save only shows an older percent after a reload.
            logger.LogDebug(ex, "Progress of job {JobId} not saved", jobId);
        }
    }
}

/// <summary>
/// One job's progress (see <see cref="ProgressWriter"/>). Reports are clamped to 0–99 and only a
/// rise counts: 100 % is written with the job's final state, by the job, after <see cref="FlushAsync"/>.
/// </summary>
public sealed class JobProgress : IProgress<int>
{
    private readonly ProgressWriter _writer;
    private readonly Guid _jobId;
    private readonly Func<MediaFilesDbContext, int, Task> _save;
    private readonly Action<int> _publish;
    private readonly ProgressThrottle _throttle;
    private readonly Lock _gate = new();
    private int _published, _saved;
    private DateTimeOffset _savedAt;
    private Task _saving = Task.CompletedTask;

    internal JobProgress(ProgressWriter writer, Guid jobId, Func<MediaFilesDbContext, int, Task> save, Action<int> publish,
        ProgressThrottle throttle, DateTimeOffset started)
    {
        _writer = writer;
        _jobId = jobId;
        _save = save;
        _publish = publish;
        _throttle = throttle;
        _savedAt = started;
    }

    /// <summary>The highest percent reported so far.</summary>
    public int Last
    {
        get { lock (_gate) return _published; }
    }

    public void Report(int value)
    {
        var percent = Math.Clamp(value, 0, 99);
        lock (_gate)
        {
            if (percent <= _published) return;
            _published = percent;
            var now = _writer.Now;
            if (percent - _saved >= _throttle.MinPoints && now - _savedAt >= _throttle.MinInterval)
            {
                _saved = percent;
                _savedAt = now;
                _saving = _writer.SaveAfterAsync(_saving, _jobId, _save, percent);
            }
        }
        _publish(percent);
    }

    /// <summary>Waits for the saves started so far: call it before writing the job's final state, so no late save lands after it.</summary>
    public Task FlushAsync()
    {
        lock (_gate) return _saving;
    }
}
