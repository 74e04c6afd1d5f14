using System.Collections.Concurrent;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Messaging;

/// <summary>Messages refused by open circuits, made due again as soon as a delivery through one of those circuits succeeds.</summary>
public sealed partial class OutboxDispatcher
{
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

    /// <summary>Per subscription: deliveries that passed its circuit, and the messages (ids) it refused that wait for it.</summary>
    private sealed class CircuitWaiters
    {
        public long Successes;
        public ConcurrentDictionary<long, byte> Rows { get; } = new();
    }
}
