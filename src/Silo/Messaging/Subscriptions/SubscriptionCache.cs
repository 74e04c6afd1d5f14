using System.Collections.Concurrent;

namespace ReturnOps.Silo.Messaging.Subscriptions;

/// <summary>
/// A country's subscriptions as the dispatcher reads them when it claims lanes: from the store at most once per
/// <see cref="MessagingOptions.SubscriptionsCachedFor"/> per country instead of once per claim (with 20 countries that was
/// about a thousand reads per 10,000 messages, docs/performance.md). A change made through this process's
/// <see cref="SubscriptionService"/> is forgotten at once, so the next claim reads it; a change made by another process
/// (a gateway replica) is read when the entry ends, at most <see cref="MessagingOptions.SubscriptionsCachedFor"/> later.
/// </summary>
public sealed class SubscriptionCache(ISubscriptionStore store, MessagingOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _changeLock = new();
    private long _changes; // counts Forget calls: a read that overlapped a change must not be kept as current

    /// <summary>The country's subscriptions, secrets included: for signing only, never for output.</summary>
    public Task<IReadOnlyList<SubscriptionTarget>> ForCountryAsync(string country, CancellationToken cancellationToken) =>
        ReadAfterAsync(country, long.MinValue, cancellationToken);

    /// <summary>
    /// The country's subscriptions as read after <paramref name="afterMs"/>: the kept ones if they were read later than
    /// that, otherwise read again. Deciding that a message written at <paramref name="afterMs"/> has no subscription (it is
    /// then unrouted, for good) needs a list that includes every subscription made before it.
    /// </summary>
    public async Task<IReadOnlyList<SubscriptionTarget>> ReadAfterAsync(string country, long afterMs, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_entries.TryGetValue(country, out var entry) && now < entry.UntilMs && entry.ReadAtMs > afterMs)
        {
            return entry.Targets;
        }
        var changesBefore = Interlocked.Read(ref _changes);
        var targets = await store.ForCountryAsync(country, cancellationToken);
        lock (_changeLock)
        {
            if (_changes == changesBefore)
            {
                _entries[country] = new Entry(targets, now, now + (long)options.SubscriptionsCachedFor.TotalMilliseconds);
            }
        }
        return targets;
    }

    /// <summary>Called after a country's subscriptions changed in the store: the next read goes to the store.</summary>
    public void Forget(string country)
    {
        lock (_changeLock)
        {
            Interlocked.Increment(ref _changes);
            _entries.TryRemove(country, out _);
        }
    }

    /// <param name="ReadAtMs">When the read began: it saw every change committed before then.</param>
    private sealed record Entry(IReadOnlyList<SubscriptionTarget> Targets, long ReadAtMs, long UntilMs);
}
