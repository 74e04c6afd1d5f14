namespace ReturnOps.Silo.Messaging.Deliveries;

/// <summary>
/// <c>GET /deliveries?status=</c> and <c>POST /deliveries/{id}/replay</c>: operators inspect dead letters
/// and send them again once the partner is fixed.
/// </summary>
public sealed class DeliveryService(IDeliveryStore store, OutboxDispatcher dispatcher, TimeProvider clock)
{
    public const int MaxPageSize = 500;

    /// <summary>
    /// Messages with <paramref name="status"/> in outbox order; page with the last id seen. One row beyond
    /// <see cref="MaxPageSize"/> may be asked for: a caller reads it only to learn whether another page follows.
    /// </summary>
    public Task<IReadOnlyList<DeliveryRecord>> ListAsync(string status, long afterId = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (!DeliveryStatus.IsKnown(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Status must be pending, delivered, unrouted or dead.");
        }
        return store.ListAsync(status, afterId, Math.Clamp(limit, 1, MaxPageSize + 1), cancellationToken);
    }

    /// <summary>
    /// Makes a dead or unrouted message pending again with a fresh attempt budget. It keeps its place in its lane:
    /// later pending messages of that lane wait until it is delivered.
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(string messageId, CancellationToken cancellationToken = default)
    {
        var result = await store.ReplayAsync(messageId, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        if (result == ReplayResult.Replayed)
        {
            dispatcher.Wake();
        }
        return result;
    }
}
