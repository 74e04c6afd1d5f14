using Microsoft.Extensions.Logging;
using ReturnOps.Runtime.Storage;

namespace ReturnOps.Runtime;

/// <summary>
/// Fires durable reminders. Every replica polls; a due reminder is claimed under a lease in one
/// statement, so exactly one replica fires a tick, and a replica that dies mid-tick hands it on when
/// the lease ends. Missed ticks (all replicas down) are not fired one by one: the next tick is the
/// first one after now, as in Orleans.
/// </summary>
public sealed partial class ReminderService
{
    private const int BatchSize = 100;
    private static readonly GrainMethod s_receiveReminder = new(typeof(IRemindable), nameof(IRemindable.ReceiveReminder), readOnly: false);

    private readonly GrainRuntime _runtime;
    private readonly ILogger _logger;
    private ITimer? _timer;
    private int _polling;
    private Task _inFlight = Task.CompletedTask;
    private volatile bool _stopping;

    internal ReminderService(GrainRuntime runtime, ILogger logger)
    {
        _runtime = runtime;
        _logger = logger;
    }

    private IReminderTable Table => _runtime.Storage.Reminders;
    private long NowMs => _runtime.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    internal Task RegisterAsync(Grain grain, string name, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        if (grain is not IRemindable)
        {
            throw new InvalidOperationException($"{grain.GetType().Name} must implement IRemindable to register reminders.");
        }
        var due = NowMs + (long)dueTime.TotalMilliseconds;
        return Table.UpsertAsync(new ReminderEntry(grain.Activation.Id, name, due, due, (long)period.TotalMilliseconds), CancellationToken.None);
    }

    internal Task UnregisterAsync(GrainId grain, string name) => Table.DeleteAsync(grain, name, CancellationToken.None);

    /// <summary>The stored reminder, or null: for tests and diagnostics.</summary>
    public Task<ReminderEntry?> GetAsync(GrainId grain, string name) => Table.ReadAsync(grain, name, CancellationToken.None);

    /// <summary>Claims and fires every reminder due now; returns how many ticks this instance fired.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var fired = 0;
        while (true)
        {
            var now = NowMs;
            var claimed = await Table.ClaimDueAsync(_runtime.Options.SiloName, now, now + (long)_runtime.Options.ReminderLease.TotalMilliseconds,
                BatchSize, cancellationToken);
            await Task.WhenAll(claimed.Select(entry => Fire(entry, now, cancellationToken)));
            fired += claimed.Count;
            if (claimed.Count < BatchSize || _stopping)
            {
                return fired;
            }
        }
    }

    internal void Start()
    {
        if (_runtime.Options.PollReminders)
        {
            _timer = _runtime.Clock.CreateTimer(_ => PollOnTimer(), null, _runtime.Options.ReminderPollInterval, _runtime.Options.ReminderPollInterval);
        }
    }

    /// <summary>
    /// Stops polling and waits for the ticks in flight: each completes or is released at its due time, so another
    /// replica fires it at its next poll instead of after <see cref="GrainRuntimeOptions.ReminderLease"/>.
    /// </summary>
    internal async Task StopAsync()
    {
        _stopping = true;
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
        await Volatile.Read(ref _inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void PollOnTimer()
    {
        var poll = PollInBackground();
        if (!poll.IsCompleted)
        {
            Volatile.Write(ref _inFlight, poll);
        }
    }

    private async Task PollInBackground()
    {
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }
        try
        {
            await PollOnceAsync();
        }
        catch (Exception ex) when (ex is StorageUnavailableException or InvalidOperationException)
        {
            LogPollFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private async Task Fire(ReminderEntry entry, long nowMs, CancellationToken cancellationToken)
    {
        var status = new TickStatus(
            DateTimeOffset.FromUnixTimeMilliseconds(entry.FirstDueMs),
            TimeSpan.FromMilliseconds(entry.PeriodMs),
            DateTimeOffset.FromUnixTimeMilliseconds(entry.DueMs));
        long? next;
        try
        {
            await _runtime.Invoke<IRemindable, (string Name, TickStatus Status), bool>(entry.Grain, s_receiveReminder, (entry.Name, status),
                static async (grain, a) =>
                {
                    await grain.ReceiveReminder(a.Name, a.Status);
                    return true;
                });
            next = entry.PeriodMs == 0 ? null : NextDue(entry, nowMs);
            LogTickFired(_logger, entry.Name, entry.Grain);
        }
        catch (Exception ex)
        {
            // The tick is not lost: released at the same due time, it fires again at the next poll.
            LogTickFailed(_logger, entry.Name, entry.Grain, ex);
            next = entry.DueMs;
        }
        await Table.CompleteTickAsync(entry, _runtime.Options.SiloName, next, cancellationToken);
    }

    private static long NextDue(ReminderEntry entry, long nowMs)
    {
        var periods = Math.Max(1, ((nowMs - entry.DueMs) / entry.PeriodMs) + 1);
        return entry.DueMs + (periods * entry.PeriodMs);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reminder {Name} of {Grain} fired")]
    private static partial void LogTickFired(ILogger logger, string name, GrainId grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder poll failed")]
    private static partial void LogPollFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {Name} of {Grain} failed; it will fire again")]
    private static partial void LogTickFailed(ILogger logger, string name, GrainId grain, Exception ex);
}
