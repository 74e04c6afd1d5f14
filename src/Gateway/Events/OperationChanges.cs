using System.Collections.Concurrent;
using System.Threading.Channels;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Events;

/// <summary>
/// Tells server-sent-event streams that an operation changed, from the database's change feed: every committed write
/// of an operation, whoever made it (this gateway's call, another gateway's, a silo's reminder or message delivery).
/// A signal carries no data: the stream reads the operation again, so a coalesced or missed signal never shows a wrong state.
/// </summary>
public sealed class OperationChanges
{
    /// <summary>The stored type name of operations in the change feed: <c>ReturnOperationGrain</c>'s <c>[GrainType]</c>.</summary>
    public const string OperationGrainType = "return-operation";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<string>, byte> _boardWatchers = new();

    /// <summary>Hears every committed write to an operation (grain type <paramref name="operationGrainType"/>).</summary>
    public Task ListenAsync(IChangeFeed feed, string operationGrainType, CancellationToken cancellationToken) =>
        feed.SubscribeAsync(change =>
        {
            if (change.Grain.Type == operationGrainType)
            {
                Signal(change.Grain.Key, change.Version);
            }
        }, cancellationToken);

    /// <summary>A reader that receives a signal after each change of <paramref name="operationId"/>, until disposed.</summary>
    public Subscription Watch(string operationId)
    {
        Subscription? subscription = null;
        subscription = new Subscription(() =>
        {
            if (_watchers.TryGetValue(operationId, out var set))
            {
                set.TryRemove(subscription!, out _);
            }
        });
        _watchers.GetOrAdd(operationId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>
    /// A reader of the ids of every operation that changes, until disposed: the secretariat board's feed.
    /// Bounded: a reader that falls behind loses the oldest ids, and re-reads the whole board anyway.
    /// </summary>
    public BoardSubscription WatchAll()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        _boardWatchers.TryAdd(channel, 0);
        return new BoardSubscription(channel.Reader, () => _boardWatchers.TryRemove(channel, out _));
    }

    /// <summary>
    /// Wakes the readers of <paramref name="operationId"/>. <paramref name="version"/> is the version another process
    /// committed (a stream reads until it sees it), or 0 when this process made the change and reads it back itself.
    /// </summary>
    private void Signal(string operationId, long version)
    {
        foreach (var board in _boardWatchers.Keys)
        {
            board.Writer.TryWrite(operationId);
        }
        if (_watchers.TryGetValue(operationId, out var set))
        {
            foreach (var subscription in set.Keys)
            {
                subscription.Notify(version);
            }
        }
    }

    /// <summary>Signals coalesce; <see cref="NotifiedVersion"/> is the newest version another replica announced.</summary>
    public sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private long _notifiedVersion;

        public ChannelReader<bool> Changes => _signals.Reader;

        public long NotifiedVersion => Interlocked.Read(ref _notifiedVersion);

        internal void Notify(long version)
        {
            long seen;
            while (version > (seen = Interlocked.Read(ref _notifiedVersion)) && Interlocked.CompareExchange(ref _notifiedVersion, version, seen) != seen)
            {
            }
            _signals.Writer.TryWrite(true);
        }

        public void Dispose() => unsubscribe();
    }

    public sealed class BoardSubscription(ChannelReader<string> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<string> Changes { get; } = reader;

        public void Dispose() => unsubscribe();
    }
}
