using System.Collections.Concurrent;

namespace ReturnOps.Storage.Sqlite;

/// <summary>
/// The change feed of an embedded database: every provider in this process that opened the same file hears every
/// write to it. Other processes cannot share an SQLite file with us safely anyway.
/// </summary>
internal sealed class InProcessChangeFeed : IChangeFeed
{
    private static readonly ConcurrentDictionary<string, Hub> s_hubs = new(StringComparer.Ordinal);
    private readonly Hub _hub;

    private InProcessChangeFeed(Hub hub) => _hub = hub;

    public static InProcessChangeFeed For(string databasePath) => new(s_hubs.GetOrAdd(databasePath, _ => new Hub()));

    public void Publish(StateChange change) => _hub.Publish(change);

    public Task SubscribeAsync(Action<StateChange> onChange, CancellationToken cancellationToken)
    {
        void Deliver(StateChange change) => onChange(change);
        _hub.Add(Deliver);
        cancellationToken.Register(() => _hub.Remove(Deliver));
        return Task.CompletedTask;
    }

    private sealed class Hub
    {
        private volatile Action<StateChange>[] _subscribers = [];
        private readonly Lock _lock = new();

        public void Publish(StateChange change)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber(change);
            }
        }

        public void Add(Action<StateChange> subscriber)
        {
            lock (_lock)
            {
                _subscribers = [.. _subscribers, subscriber];
            }
        }

        public void Remove(Action<StateChange> subscriber)
        {
            lock (_lock)
            {
                _subscribers = [.. _subscribers.Where(s => s != subscriber)];
            }
        }
    }
}
