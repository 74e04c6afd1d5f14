using System.Data.Common;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// The outbox as the dispatcher sees it, and no more: what a test or bench wraps around the dispatcher's store (a replica
/// that dies, a mark held, a stopwatch) forwards these calls only.
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// Claims up to <paramref name="lanes"/> lanes whose first pending message is due and unclaimed, and up to
    /// <paramref name="perLane"/> of each lane's pending messages in order, leased to <paramref name="owner"/>.
    /// A lane whose first pending message is claimed elsewhere or waiting for a retry yields nothing.
    /// </summary>
    Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, long nowMs, long leaseUntilMs, int lanes, int perLane, CancellationToken cancellationToken);

    /// <summary>
    /// Ends pending messages, each with its status (delivered, unrouted or dead), its count of failed attempts, its
    /// last error and the time it ended, in one statement: a lane's batch is marked together when the lane stops.
    /// </summary>
    Task CompleteAsync(IReadOnlyCollection<CompletedMessage> messages, CancellationToken cancellationToken);

    /// <summary>Releases a claimed message to be tried again at <paramref name="nextAttemptMs"/>, if still ours.</summary>
    Task RescheduleAsync(long id, string owner, int attempts, long nextAttemptMs, string error, CancellationToken cancellationToken);

    /// <summary>Releases claimed messages untouched, if still ours.</summary>
    Task ReleaseAsync(IReadOnlyCollection<long> ids, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the given pending, unclaimed messages due at <paramref name="nowMs"/> if they were due later
    /// (lanes that waited for a circuit which has closed again).
    /// </summary>
    Task WakeAsync(IReadOnlyCollection<long> ids, long nowMs, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onSignal"/> whenever a writer announces new outbox rows, until cancelled.</summary>
    Task ListenAsync(Action onSignal, CancellationToken cancellationToken);
}

/// <summary>The outbox as operators see it: what came of each message, and dead letters sent again.</summary>
public interface IDeliveryStore
{
    /// <summary>Messages with <paramref name="status"/> in id order, after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListAsync(string status, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Puts a dead or unrouted message back to pending, due at <paramref name="nowMs"/> with no attempts.</summary>
    Task<ReplayResult> ReplayAsync(string messageId, long nowMs, CancellationToken cancellationToken);
}

/// <summary>Where a country's systems want their webhooks.</summary>
public interface ISubscriptionStore
{
    Task InsertAsync(SubscriptionTarget subscription, CancellationToken cancellationToken);

    /// <summary>A country's subscriptions, secrets included: for signing only, never for output.</summary>
    Task<IReadOnlyList<SubscriptionTarget>> ForCountryAsync(string country, CancellationToken cancellationToken);

    /// <summary>Removes a subscription of <paramref name="country"/>; false when it has none with that id.</summary>
    Task<bool> DeleteAsync(string country, string id, CancellationToken cancellationToken);

    /// <summary>Replaces the signing secret of a subscription of <paramref name="country"/>; false when it has none with that id.</summary>
    Task<bool> RotateSecretAsync(string country, string id, string secret, CancellationToken cancellationToken);
}

/// <summary>Inbound de-duplication.</summary>
public interface IInboxStore
{
    /// <summary>
    /// In one transaction: records (<paramref name="messageId"/>, <paramref name="consumer"/>) and runs
    /// <paramref name="effect"/> on the same connection and transaction. Returns false, running nothing,
    /// when the pair was recorded before.
    /// </summary>
    Task<bool> ApplyOnceAsync(string messageId, string consumer, long nowMs,
        Func<DbConnection, DbTransaction, CancellationToken, Task> effect, CancellationToken cancellationToken);
}

/// <summary>Everything messaging stores, on one database (<see cref="MessagingStore"/>).</summary>
public interface IMessagingStore : IOutboxStore, IDeliveryStore, ISubscriptionStore, IInboxStore;
