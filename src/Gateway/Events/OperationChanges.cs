using System.Collections.Concurrent;
using System.Threading.Channels;
using ReturnOps.Grains.Operations;
using ReturnOps.Runtime;
using ReturnOps.Runtime.Storage;

namespace ReturnOps.Gateway.Events;

/// <summary>
/// Tells server-sent-event streams that an operation changed: this replica's writes through an outgoing
/// call filter, other replicas' through the runtime's change feed. A signal carries no data: the stream
/// reads the operation again, so a coalesced or missed signal never shows a wrong state.
/// </summary>
public sealed class OperationChanges : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<bool>, byte>> _watchers = new(StringComparer.Ordinal);

    public async Task Invoke(IGrainCallContext context)
    {
        await context.Invoke();
        if (context.Method.InterfaceType == typeof(IReturnOperationGrain) && !context.Method.ReadOnly)
        {
            Signal(context.GrainId.Key);
        }
    }

    /// <summary>Hears other replicas' committed writes to operations.</summary>
    public Task ListenAsync(IChangeFeed feed, string operationGrainType, CancellationToken cancellationToken) =>
        feed.SubscribeAsync(change =>
        {
            if (change.Grain.Type == operationGrainType)
            {
                Signal(change.Grain.Key);
            }
        }, cancellationToken);

    /// <summary>A reader that receives a signal after each change of <paramref name="operationId"/>, until disposed.</summary>
    public Subscription Watch(string operationId)
    {
        var channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        _watchers.GetOrAdd(operationId, _ => new()).TryAdd(channel, 0);
        return new Subscription(channel.Reader, () =>
        {
            if (_watchers.TryGetValue(operationId, out var set))
            {
                set.TryRemove(channel, out _);
            }
        });
    }

    private void Signal(string operationId)
    {
        if (_watchers.TryGetValue(operationId, out var set))
        {
            foreach (var channel in set.Keys)
            {
                channel.Writer.TryWrite(true);
            }
        }
    }

    public sealed class Subscription(ChannelReader<bool> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<bool> Changes { get; } = reader;

        public void Dispose() => unsubscribe();
    }
}
