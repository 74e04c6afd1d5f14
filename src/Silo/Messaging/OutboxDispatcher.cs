using System.Collections.Concurrent;
using System.Text.Json;
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

    /// <summary>
    /// Sends a lane's claimed messages one after another: each only after the one before it was answered (acknowledged by
    /// every matching subscription, or ended as unrouted or dead). What they came to is kept in memory and written for the
    /// whole batch when the lane stops (at its end, at its first failure, or when the replica stops), in one statement with
    /// the batches of the other lanes that stop meanwhile (<see cref="OutboxMarks"/>). <paramref name="sent"/> is called when
    /// the lane stops sending, before that mark.
    /// </summary>
    private async Task DeliverLaneAsync(Lane lane, CancellationToken cancellationToken, Action? sent = null)
    {
        var completed = new List<CompletedMessage>(lane.Rows.Count);
        var next = 0; // the first row neither completed nor rescheduled
        try
        {
            // Stop early enough that a claim never expires while this replica still sends under it.
            var stopAt = lane.LeaseUntilMs - (long)(options.AttemptTimeout.TotalMilliseconds * (options.InProcessRetries + 2));
            for (; next < lane.Rows.Count && NowMs() < stopAt; next++)
            {
                var row = lane.Rows[next];
                var outcome = await SendAsync(row, lane.Targets, cancellationToken);
                if (Completion(row, outcome, NowMs()) is { } done)
                {
                    completed.Add(done);
                    continue;
                }
                // The lane stops at its first failure: what was answered before it is marked first, then the failed
                // message waits for its retry time (as the lane's first pending message it holds the rest back).
                await CompleteAsync(completed);
                completed.Clear();
                await RescheduleAsync(row, outcome, cancellationToken);
                next++;
                break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is StorageUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            LogLaneFailed(logger, lane.Rows[0].Destination, lane.Rows[0].Lane, ex);
        }
        sent?.Invoke();
        // Whatever stopped the lane, what it sent is marked and only what it did not send is handed back. If the mark
        // fails, those messages are handed back too and sent again under the same ids (at least once).
        var unsent = lane.Rows.Skip(next).Select(r => r.Id);
        if (!await TryCompleteAsync(completed))
        {
            unsent = completed.Select(c => c.Id).Concat(unsent);
        }
        await ReleaseAsync([.. unsent]);
    }

    /// <summary>What a message came to if it is over (delivered, unrouted or dead), or null when it waits for a retry.</summary>
    private CompletedMessage? Completion(OutboxRow row, RowOutcome outcome, long now)
    {
        if (outcome.Status is { } status)
        {
            if (status == DeliveryStatus.Dead)
            {
                LogDead(logger, row.MessageId, row.Destination, row.Attempts, outcome.Error);
            }
            else
            {
                LogCompleted(logger, row.MessageId, row.Type, row.Destination, status);
            }
            return new CompletedMessage(row.Id, status, row.Attempts, outcome.Error, now);
        }
        // A circuit that refused before any request did not try the partner: that costs no attempt, only time.
        var attempts = Attempts(row, outcome);
        if (attempts >= options.MaxAttempts || now - row.OccurredMs > (long)options.MaxAge.TotalMilliseconds)
        {
            LogDead(logger, row.MessageId, row.Destination, attempts, outcome.Error);
            return new CompletedMessage(row.Id, DeliveryStatus.Dead, attempts, outcome.Error, now); // the lane goes on past a dead letter
        }
        return null;
    }

    private static int Attempts(OutboxRow row, RowOutcome outcome) => row.Attempts + (outcome.Attempted ? 1 : 0);

    /// <summary>Sets a failed message's retry time (backoff, or the open circuit's break) and releases it.</summary>
    private async Task RescheduleAsync(OutboxRow row, RowOutcome outcome, CancellationToken cancellationToken)
    {
        var attempts = Attempts(row, outcome);
        var backoff = outcome.Attempted ? Backoff(attempts) : TimeSpan.Zero;
        var delay = outcome.CircuitOpenFor is { } open && open > backoff ? open : backoff;
        var dueMs = NowMs() + (long)delay.TotalMilliseconds;
        await store.RescheduleAsync(row.Id, owner, attempts, dueMs, outcome.Error!, cancellationToken);
        NoteRetryAt(dueMs);
        LogRetry(logger, row.MessageId, row.Destination, attempts, delay, outcome.Error);
        if (!outcome.Attempted && outcome.RefusedBy is { } refusedBy)
        {
            await WaitForCircuitsAsync(row.Id, refusedBy, cancellationToken);
        }
    }

    /// <summary>Marks a batch with other lanes' (group commit); uncancelled: a stopping replica still records what it delivered.</summary>
    private Task CompleteAsync(IReadOnlyCollection<CompletedMessage> completed) => _marks.MarkAsync([.. completed]);

    private async Task<bool> TryCompleteAsync(IReadOnlyCollection<CompletedMessage> completed)
    {
        try
        {
            await CompleteAsync(completed);
            return true;
        }
        catch (Exception ex) when (ex is StorageUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            LogCompleteFailed(logger, completed.Count, ex);
            return false;
        }
    }

    /// <summary>
    /// Registers a message refused by open circuits (without a request) to be made due again as soon as a delivery
    /// through one of those circuits succeeds, instead of when the break Polly reported ends. A half-open circuit
    /// refuses every lane but the probe's with the full break duration, although it closes a moment later.
    /// </summary>
    private async Task WaitForCircuitsAsync(long rowId, IReadOnlyList<(string Subscription, long Successes)> refusedBy, CancellationToken cancellationToken)
    {
        var closedMeanwhile = false;
        foreach (var (subscription, successesBefore) in refusedBy)
        {
            var waiters = Waiters(subscription);
            waiters.Rows.TryAdd(rowId, 0);
            // A success after this message was sent may have woken the waiters before it was registered above.
            if (Volatile.Read(ref waiters.Successes) != successesBefore)
            {
                waiters.Rows.TryRemove(rowId, out _);
                closedMeanwhile = true;
            }
        }
        if (closedMeanwhile)
        {
            await WakeRowsAsync([rowId], cancellationToken);
        }
    }

    /// <summary>A delivery through <paramref name="subscription"/>'s circuit succeeded: the messages it refused may go now.</summary>
    private async Task CircuitPassedAsync(string subscription, CancellationToken cancellationToken)
    {
        var waiters = Waiters(subscription);
        Interlocked.Increment(ref waiters.Successes);
        if (waiters.Rows.IsEmpty)
        {
            return;
        }
        var ids = new List<long>();
        foreach (var id in waiters.Rows.Keys)
        {
            if (waiters.Rows.TryRemove(id, out _))
            {
                ids.Add(id);
            }
        }
        await WakeRowsAsync(ids, cancellationToken);
    }

    private async Task WakeRowsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }
        try
        {
            await store.WakeAsync(ids, NowMs(), cancellationToken);
            Wake();
        }
        catch (Exception ex) when (ex is StorageUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            // They keep the time they were given: the end of the break.
            LogWakeFailed(logger, ids.Count, ex);
        }
    }

    private CircuitWaiters Waiters(string subscription) => _circuitWaiters.GetOrAdd(subscription, _ => new CircuitWaiters());

    private async Task<RowOutcome> SendAsync(OutboxRow row, IReadOnlyDictionary<string, IReadOnlyList<SubscriptionTarget>> targets, CancellationToken cancellationToken)
    {
        if (Destination.TryParseGrain(row.Destination, out var route, out var key))
        {
            return await SendToGrainAsync(row, route, key);
        }
        if (Destination.IsInternalFeed(row.Destination))
        {
            // Role and carrier feeds are read inside the platform; the row is their record, not a delivery job.
            return RowOutcome.Final(DeliveryStatus.Unrouted, $"internal feed '{row.Destination}': read in the platform, not sent");
        }
        if (!Destination.TryParseCountry(row.Destination, out var country))
        {
            return RowOutcome.Final(DeliveryStatus.Dead, $"no transport for destination '{row.Destination}'");
        }
        byte[] body;
        try
        {
            body = WebhookEnvelope.Serialize(row);
        }
        catch (JsonException)
        {
            return RowOutcome.Final(DeliveryStatus.Dead, "payload is not JSON");
        }
        var matching = targets.GetValueOrDefault(country, []).Where(t => t.Events.Matches(row.Type)).ToList();
        if (matching.Count == 0)
        {
            // Unrouted is final, so it is decided only on subscriptions read after the message was written: a subscription
            // made elsewhere a moment before the message must get it, although the kept list is up to a second old.
            matching = [.. (await _subscriptions.ReadAfterAsync(country, row.OccurredMs, cancellationToken)).Where(t => t.Events.Matches(row.Type))];
        }
        if (matching.Count == 0)
        {
            return RowOutcome.Final(DeliveryStatus.Unrouted, $"no subscription of {country} takes {row.Type}");
        }
        var sends = await Task.WhenAll(matching.Select(async t =>
        {
            var successesBefore = Volatile.Read(ref Waiters(t.Id).Successes);
            return (Target: t, SuccessesBefore: successesBefore, Result: await sender.SendAsync(t, row.MessageId, body, cancellationToken));
        }));
        foreach (var send in sends.Where(s => s.Result.Delivered))
        {
            await CircuitPassedAsync(send.Target.Id, cancellationToken);
        }
        var failures = sends.Where(s => !s.Result.Delivered).ToList();
        if (failures.Count == 0)
        {
            return RowOutcome.Final(DeliveryStatus.Delivered, null);
        }
        // Retried as a whole: subscriptions that acknowledged see it again, under the same message id.
        return new RowOutcome(null, string.Join("; ", failures.Select(f => f.Result.Error)), failures.Any(f => f.Result.Attempted),
            failures.Max(f => f.Result.CircuitOpenFor),
            [.. failures.Where(f => f.Result.CircuitOpenFor is not null).Select(f => (f.Target.Id, f.SuccessesBefore))]);
    }

    private async Task<RowOutcome> SendToGrainAsync(OutboxRow row, string route, string key)
    {
        if (grains is null || routes is null || !routes.TryGet(route, out var deliver))
        {
            return RowOutcome.Final(DeliveryStatus.Dead, $"no grain route '{route}'");
        }
        try
        {
            await deliver(grains, new GrainMessage(row.MessageId, key, row.Lane, row.Type, row.Payload, DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredMs)));
            return RowOutcome.Final(DeliveryStatus.Delivered, null);
        }
#pragma warning disable CA1031 // Whatever the receiving grain throws, the message waits for its retry; the lane must not die with it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new RowOutcome(null, $"{ex.GetType().Name} from grain route '{route}'", true, null, null);
        }
    }

    /// <summary>Exponential from <see cref="MessagingOptions.RetryBaseDelay"/>, capped, with "equal jitter": half fixed, half random.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var exponential = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        double random;
        lock (_randomLock)
        {
            random = options.Random.NextDouble();
        }
        return TimeSpan.FromMilliseconds(exponential / 2 + random * exponential / 2);
    }

    private async Task ReleaseAsync(IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }
        try
        {
            // Not the caller's token: a stopping replica still hands its unsent claims back.
            await store.ReleaseAsync(ids, owner, CancellationToken.None);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            LogReleaseFailed(logger, ids.Count, ex);
        }
    }

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed record Lane(IReadOnlyList<OutboxRow> Rows, long LeaseUntilMs, IReadOnlyDictionary<string, IReadOnlyList<SubscriptionTarget>> Targets);

    /// <summary>A final <see cref="Status"/>, or null for "try again later".</summary>
    /// <param name="RefusedBy">Subscriptions whose open circuit refused the message, each with its count of successes before the send.</param>
    private readonly record struct RowOutcome(string? Status, string? Error, bool Attempted, TimeSpan? CircuitOpenFor,
        IReadOnlyList<(string Subscription, long Successes)>? RefusedBy)
    {
        public static RowOutcome Final(string status, string? error) => new(status, error, true, null, null);
    }

    /// <summary>Per subscription: deliveries that passed its circuit, and the messages (ids) it refused that wait for it.</summary>
    private sealed class CircuitWaiters
    {
        public long Successes;
        public ConcurrentDictionary<long, byte> Rows { get; } = new();
    }

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

internal static class TaskSettling
{
    /// <summary>Completes when every task has completed, whether it succeeded, failed or was cancelled.</summary>
    public static Task WhenAllSettled(this IEnumerable<Task> tasks) =>
        Task.WhenAll(tasks).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
