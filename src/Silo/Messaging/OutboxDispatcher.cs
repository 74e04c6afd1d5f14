using System.Collections.Concurrent;
using ReturnOps.Storage;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Delivers the outbox. Every replica runs one; they share work only through the database: a replica claims
/// whole lanes (a lane's first pending message and the ones behind it) under a lease, sends them in order, and
/// stops a lane at its first failure, which waits for its retry time while other lanes go on. A replica that
/// dies leaves its claims to expire; another claims them then.
/// </summary>
public sealed partial class OutboxDispatcher(
    IMessagingStore store,
    WebhookSender sender,
    MessagingOptions options,
    TimeProvider clock,
    string owner,
    ILogger<OutboxDispatcher> logger,
    IGrainFactory? grains = null,
    GrainMessageRoutes? routes = null,
    SubscriptionCache? subscriptions = null) : IAsyncDisposable
{
    private readonly OutboxMarks _marks = new(store);
    private readonly SubscriptionCache _subscriptions = subscriptions ?? new(store, options, clock);
    private readonly Lock _randomLock = new();
    private readonly System.Threading.Channels.Channel<bool> _wake =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });
    private readonly ConcurrentDictionary<Task, byte> _runningLanes = new();

    /// <summary>
    /// Lanes sending now. <see cref="MessagingOptions.MaxConcurrentLanes"/> bounds these, not the lanes that have sent and
    /// only wait for their mark: a claim fills a slot while the last lane's mark is in flight. The marked lane cannot be
    /// claimed again meanwhile (its rows are still leased to this replica), so per-lane order is unchanged.
    /// </summary>
    private int _sendingLanes;
    private readonly ConcurrentDictionary<string, CircuitWaiters> _circuitWaiters = new(StringComparer.Ordinal);
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private Task? _listener;
    private Task<bool>? _pendingWake;
    private long _earliestRetryMs = long.MaxValue;

    /// <summary>Names this replica in claims.</summary>
    public string Owner => owner;

    /// <summary>The subscriptions this dispatcher sends to; a <see cref="SubscriptionService"/> in this process forgets changes in it.</summary>
    public SubscriptionCache Subscriptions => _subscriptions;

    /// <summary>The group commit of this replica's marks.</summary>
    internal OutboxMarks Marks => _marks;

    /// <summary>Makes the background loop look at the outbox now instead of at its next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Claims one round of lanes and delivers them, returning when every claimed message is delivered,
    /// rescheduled or dead. The background loop does the same continuously; tests call this directly.
    /// </summary>
    /// <returns>How many messages were claimed.</returns>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var lanes = await ClaimLanesAsync(options.LanesPerClaim, cancellationToken);
        await Task.WhenAll(lanes.Select(lane => DeliverLaneAsync(lane, cancellationToken)));
        return lanes.Sum(l => l.Rows.Count);
    }

    /// <summary>Starts listening for new outbox rows and delivering them in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _listener = Task.Run(() => store.ListenAsync(Wake, _stopping.Token), CancellationToken.None);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops claiming; lanes in flight release what they have not sent.</summary>
    public async Task StopAsync()
    {
        if (_stopping is null)
        {
            return;
        }
        await _stopping.CancelAsync();
        // The loop first: once it has ended no lane can start, so the lanes awaited next are all of them.
        await new[] { _loop, _listener }.OfType<Task>().WhenAllSettled();
        await _runningLanes.Keys.WhenAllSettled();
        _stopping.Dispose();
        _stopping = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var free = Math.Min(options.MaxConcurrentLanes - Volatile.Read(ref _sendingLanes), options.LanesPerClaim);
            var claimed = 0;
            if (free > 0)
            {
                try
                {
                    // Not cancelled by stopping: a claim cancelled on the client may still have committed on the
                    // server, leaving rows leased to no one until the lease ends. Stopping is checked after it.
                    var lanes = await ClaimLanesAsync(free, CancellationToken.None);
                    claimed = lanes.Count;
                    if (stopping.IsCancellationRequested)
                    {
                        await ReleaseAsync([.. lanes.SelectMany(l => l.Rows).Select(r => r.Id)]);
                        return;
                    }
                    foreach (var lane in lanes)
                    {
                        StartLane(lane, stopping);
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is StorageUnavailableException or InvalidOperationException or System.Data.Common.DbException)
                {
                    LogClaimFailed(logger, ex);
                }
            }
            // A full claim means more may be waiting: claim again at once. Otherwise sleep until a NOTIFY,
            // a lane finishing (its lane may have more messages), or the poll interval.
            if (claimed == 0 || claimed < free)
            {
                await WaitForWakeAsync(stopping);
            }
        }
    }

    private void StartLane(Lane lane, CancellationToken stopping)
    {
        Interlocked.Increment(ref _sendingLanes);
        var slotFreed = 0;
        void FreeSlot()
        {
            if (Interlocked.Exchange(ref slotFreed, 1) == 0)
            {
                Interlocked.Decrement(ref _sendingLanes);
                Wake();
            }
        }
        var task = Task.Run(() => DeliverLaneAsync(lane, cancellationToken: stopping, sent: FreeSlot), CancellationToken.None);
        _runningLanes.TryAdd(task, 0);
        task.ContinueWith(t =>
        {
            _runningLanes.TryRemove(t, out _);
            FreeSlot();
            Wake();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task WaitForWakeAsync(CancellationToken stopping)
    {
        // The read outlives a poll timeout and is reused, so a wake arriving in between is not lost.
        _pendingWake ??= _wake.Reader.WaitToReadAsync(stopping).AsTask();
        try
        {
            var poll = Task.Delay(UntilNextLook(), clock, stopping);
            await Task.WhenAny(_pendingWake, poll);
        }
        finally
        {
            if (_pendingWake.IsCompleted)
            {
                _pendingWake = null;
                _wake.Reader.TryRead(out _);
            }
        }
    }

    /// <summary>
    /// The poll interval, or less when a message this replica rescheduled is due before it: a lane that waited for a
    /// retry or for a circuit's break is looked at when it is due, not up to a poll interval later. Only the earliest
    /// such time is kept; it is forgotten once due (the claim that follows finds the message, or the next poll does).
    /// </summary>
    private TimeSpan UntilNextLook()
    {
        var earliest = Interlocked.Read(ref _earliestRetryMs);
        var untilMs = earliest - NowMs(); // long.MaxValue (none noted) stays far beyond any poll interval
        if (untilMs > options.PollInterval.TotalMilliseconds)
        {
            return options.PollInterval;
        }
        if (untilMs > 0)
        {
            return TimeSpan.FromMilliseconds(untilMs); // kept: a wake that ends this wait early must not lose it
        }
        Interlocked.CompareExchange(ref _earliestRetryMs, long.MaxValue, earliest);
        return TimeSpan.Zero;
    }

    private void NoteRetryAt(long dueMs)
    {
        var seen = Interlocked.Read(ref _earliestRetryMs);
        while (dueMs < seen)
        {
            var previous = Interlocked.CompareExchange(ref _earliestRetryMs, dueMs, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }

    private async Task<IReadOnlyList<Lane>> ClaimLanesAsync(int lanes, CancellationToken cancellationToken)
    {
        var now = NowMs();
        var leaseUntil = now + (long)options.ClaimLease.TotalMilliseconds;
        var rows = await store.ClaimAsync(owner, now, leaseUntil, lanes, options.MessagesPerLane, cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }
        var targets = new Dictionary<string, IReadOnlyList<SubscriptionTarget>>(StringComparer.Ordinal);
        foreach (var country in rows.Select(r => Destination.TryParseCountry(r.Destination, out var c) ? c : null).OfType<string>().Distinct())
        {
            targets[country] = await _subscriptions.ForCountryAsync(country, cancellationToken);
        }
        return [.. rows
            .GroupBy(r => (r.Destination, r.Lane))
            .Select(g => new Lane([.. g.OrderBy(r => r.Id)], leaseUntil, targets))];
    }

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed record Lane(IReadOnlyList<OutboxRow> Rows, long LeaseUntilMs, IReadOnlyDictionary<string, IReadOnlyList<SubscriptionTarget>> Targets);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} ({Type}) to {Destination}: {Status}")]
    private static partial void LogCompleted(ILogger logger, string messageId, string type, string destination, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} to {Destination} is dead after {Attempts} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, string messageId, string destination, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} to {Destination} failed (attempt {Attempts}), next try in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, string messageId, string destination, int attempts, TimeSpan delay, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim outbox messages")]
    private static partial void LogClaimFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lane {Destination}/{Lane} stopped; its claims are released or expire")]
    private static partial void LogLaneFailed(ILogger logger, string destination, string lane, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make {Count} messages due after their circuit closed; they wait until the break ends")]
    private static partial void LogWakeFailed(ILogger logger, int count, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark {Count} sent messages; they are sent again under the same ids")]
    private static partial void LogCompleteFailed(ILogger logger, int count, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release {Count} claimed messages; they are free again when the claim expires")]
    private static partial void LogReleaseFailed(ILogger logger, int count, Exception ex);
}
