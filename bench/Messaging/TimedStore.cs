using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ReturnOps.Silo.Messaging;

namespace ReturnOps.MessagingBench;

/// <summary>
/// The dispatcher's outbox store with a stopwatch around each call: how often the dispatcher claims, marks, reschedules
/// and wakes, and how long those calls take in sum (the profile of where a delivery's time goes besides the POST).
/// </summary>
public sealed class TimedStore(IOutboxStore inner) : IOutboxStore
{
    private readonly ConcurrentDictionary<string, Totals> _totals = new(StringComparer.Ordinal);

    /// <summary>Forgets what was counted so far.</summary>
    public void Reset() => _totals.Clear();

    /// <summary>Per call: count, rows, and summed time, e.g. <c>claim 31× (4,980 rows) 2.4 s</c>.</summary>
    public string Summary() => string.Join(", ", _totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
        string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.Calls}× ({t.Value.Rows:N0} rows) {t.Value.Ticks / (double)Stopwatch.Frequency:0.00} s")));

    private async Task<T> Time<T>(string name, Func<Task<T>> call, Func<T, int> rows)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await call();
        var totals = _totals.GetOrAdd(name, _ => new Totals());
        Interlocked.Increment(ref totals.Calls);
        Interlocked.Add(ref totals.Rows, rows(result));
        Interlocked.Add(ref totals.Ticks, Stopwatch.GetTimestamp() - start);
        return result;
    }

    private Task Time(string name, Func<Task> call, int rows) => Time(name, async () =>
    {
        await call();
        return rows;
    }, r => r);

    public Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, long nowMs, long leaseUntilMs, int lanes, int perLane, CancellationToken cancellationToken) =>
        Time("claim", () => inner.ClaimAsync(owner, nowMs, leaseUntilMs, lanes, perLane, cancellationToken), r => r.Count);

    public Task CompleteAsync(IReadOnlyCollection<CompletedMessage> messages, CancellationToken cancellationToken) =>
        Time("mark", () => inner.CompleteAsync(messages, cancellationToken), messages.Count);

    public Task RescheduleAsync(long id, string owner, int attempts, long nextAttemptMs, string error, CancellationToken cancellationToken) =>
        Time("reschedule", () => inner.RescheduleAsync(id, owner, attempts, nextAttemptMs, error, cancellationToken), 1);

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string owner, CancellationToken cancellationToken) =>
        Time("release", () => inner.ReleaseAsync(ids, owner, cancellationToken), ids.Count);

    public Task WakeAsync(IReadOnlyCollection<long> ids, long nowMs, CancellationToken cancellationToken) =>
        Time("wake", () => inner.WakeAsync(ids, nowMs, cancellationToken), ids.Count);

    public Task ListenAsync(Action onSignal, CancellationToken cancellationToken) => inner.ListenAsync(onSignal, cancellationToken);

    private sealed class Totals
    {
        public long Calls;
        public long Rows;
        public long Ticks;
    }
}
