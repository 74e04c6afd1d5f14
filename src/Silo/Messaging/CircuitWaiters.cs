using System.Collections.Concurrent;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Messages refused by open circuits, made due again as soon as a delivery through one of those circuits succeeds instead
/// of when the break Polly reported ends. A half-open circuit refuses every lane but the probe's with the full break
/// duration, although it closes a moment later.
/// </summary>
internal sealed partial class CircuitWaiters(IOutboxStore store, NextClaim next, TimeProvider clock, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Waiters> _bySubscription = new(StringComparer.Ordinal);

    /// <summary>Deliveries that passed <paramref name="subscription"/>'s circuit so far: read before a send, to tell later if one passed since.</summary>
    public long Successes(string subscription) => Volatile.Read(ref Of(subscription).Successes);

    /// <summary>
    /// Registers a message refused by open circuits (without a request) to be made due again as soon as a delivery through
    /// one of those circuits succeeds; each comes with its count of <see cref="Successes"/> before the send.
    /// </summary>
    public async Task WaitAsync(long rowId, IReadOnlyList<(string Subscription, long Successes)> refusedBy, CancellationToken cancellationToken)
    {
        var closedMeanwhile = false;
        foreach (var (subscription, successesBefore) in refusedBy)
        {
            var waiters = Of(subscription);
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
    public async Task PassedAsync(string subscription, CancellationToken cancellationToken)
    {
        var waiters = Of(subscription);
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
            await store.WakeAsync(ids, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
            next.Wake();
        }
        catch (Exception ex) when (StoreFailure.Is(ex))
        {
            // They keep the time they were given: the end of the break.
            LogWakeFailed(logger, ids.Count, ex);
        }
    }

    private Waiters Of(string subscription) => _bySubscription.GetOrAdd(subscription, _ => new Waiters());

    /// <summary>Per subscription: deliveries that passed its circuit, and the messages (ids) it refused that wait for it.</summary>
    private sealed class Waiters
    {
        public long Successes;
        public ConcurrentDictionary<long, byte> Rows { get; } = new();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make {Count} messages due after their circuit closed; they wait until the break ends")]
    private static partial void LogWakeFailed(ILogger logger, int count, Exception ex);
}
