using System.Collections.Concurrent;
using ReturnOps.Grains.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Delivers the outbox. Every replica runs one; they share work only through the database: a replica claims
/// whole lanes (a lane's first pending message and the ones behind it) under a lease, sends them in order, and
/// stops a lane at its first failure, which waits for its retry time while other lanes go on. A replica that
/// dies leaves its claims to expire; another claims them then. This class is the claim loop and its slots; a lane's
/// delivery is <see cref="LaneDelivery"/>'s, where a message goes is <see cref="MessageRouter"/>'s.
/// </summary>
public sealed partial class OutboxDispatcher : IAsyncDisposable
{
    private readonly IOutboxStore _store;
    private readonly SubscriptionCache _subscriptions;
    private readonly MessagingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly NextClaim _next;
    private readonly LaneDelivery _lanes;
    private readonly ConcurrentDictionary<Task, byte> _runningLanes = new();

    /// <summary>
    /// Lanes sending now. <see cref="MessagingOptions.MaxConcurrentLanes"/> bounds these, not the lanes that have sent and
    /// only wait for their mark: a claim fills a slot while the last lane's mark is in flight. The marked lane cannot be
    /// claimed again meanwhile (its rows are still leased to this replica), so per-lane order is unchanged.
    /// </summary>
    private int _sendingLanes;
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private Task? _listener;

    /// <param name="store">The outbox; the dispatcher claims, marks, reschedules, releases and wakes rows through it.</param>
    /// <param name="subscriptions">The subscriptions it sends to (the process's one cache, which its subscription service keeps current).</param>
    /// <param name="grains">Delivers messages to <c>grain:</c> destinations.</param>
    /// <param name="owner">Names this replica in claims.</param>
    public OutboxDispatcher(IOutboxStore store, SubscriptionCache subscriptions, WebhookSender sender, GrainMessenger grains,
        MessagingOptions options, TimeProvider clock, string owner, ILogger<OutboxDispatcher> logger)
    {
        _store = store;
        _subscriptions = subscriptions;
        _options = options;
        _clock = clock;
        _logger = logger;
        Owner = owner;
        Marks = new OutboxMarks(store);
        _next = new NextClaim(options, clock);
        var circuits = new CircuitWaiters(store, _next, clock, logger);
        var router = new MessageRouter(sender, subscriptions, grains, circuits);
        _lanes = new LaneDelivery(store, Marks, router, circuits, new RetryBackoff(options), _next, options, clock, owner, logger);
    }

    /// <summary>Names this replica in claims.</summary>
    public string Owner { get; }

    /// <summary>The group commit of this replica's marks.</summary>
    internal OutboxMarks Marks { get; }

    /// <summary>Makes the background loop look at the outbox now instead of at its next poll.</summary>
    public void Wake() => _next.Wake();

    /// <summary>
    /// Claims one round of lanes and delivers them, returning when every claimed message is delivered,
    /// rescheduled or dead. The background loop does the same continuously; tests call this directly.
    /// </summary>
    /// <returns>How many messages were claimed.</returns>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var lanes = await ClaimLanesAsync(_options.LanesPerClaim, cancellationToken);
        await Task.WhenAll(lanes.Select(lane => _lanes.DeliverAsync(lane, sent: () => { }, cancellationToken)));
        return lanes.Sum(l => l.Rows.Count);
    }

    /// <summary>Starts listening for new outbox rows and delivering them in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _listener = Task.Run(() => _store.ListenAsync(Wake, _stopping.Token), CancellationToken.None);
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
        await WhenAllSettled(new[] { _loop, _listener }.OfType<Task>());
        await WhenAllSettled(_runningLanes.Keys);
        _stopping.Dispose();
        _stopping = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var free = Math.Min(_options.MaxConcurrentLanes - Volatile.Read(ref _sendingLanes), _options.LanesPerClaim);
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
                        await _lanes.ReleaseAsync([.. lanes.SelectMany(l => l.Rows).Select(r => r.Id)]);
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
                catch (Exception ex) when (StoreFailure.Is(ex))
                {
                    LogClaimFailed(_logger, ex);
                }
            }
            // A full claim means more may be waiting: claim again at once. Otherwise sleep until a NOTIFY,
            // a lane finishing (its lane may have more messages), or the poll interval.
            if (claimed == 0 || claimed < free)
            {
                await _next.WaitAsync(stopping);
            }
        }
    }

    /// <summary>Takes a slot for <paramref name="lane"/> until it stops sending (not until its mark), then wakes the loop.</summary>
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
        var task = Task.Run(() => _lanes.DeliverAsync(lane, sent: FreeSlot, stopping), CancellationToken.None);
        _runningLanes.TryAdd(task, 0);
        task.ContinueWith(t =>
        {
            _runningLanes.TryRemove(t, out _);
            FreeSlot();
            Wake();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task<IReadOnlyList<Lane>> ClaimLanesAsync(int lanes, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var leaseUntil = now + (long)_options.ClaimLease.TotalMilliseconds;
        var rows = await _store.ClaimAsync(Owner, now, leaseUntil, lanes, _options.MessagesPerLane, cancellationToken);
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

    /// <summary>Completes when every task has completed, whether it succeeded, failed or was cancelled: stopping waits, it does not judge.</summary>
    private static Task WhenAllSettled(IEnumerable<Task> tasks) =>
        Task.WhenAll(tasks).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim outbox messages")]
    private static partial void LogClaimFailed(ILogger logger, Exception ex);
}
