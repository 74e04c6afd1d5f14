using System.Data.Common;

namespace ReturnOps.Silo.Messaging.Inbox;

/// <summary>
/// Applies inbound partner messages (readmission replies, manifest clearance) exactly once per consumer:
/// the inbox row and the effect commit together, so a redelivered message finds its row and does nothing,
/// and a crash between them leaves neither.
/// </summary>
public sealed class InboxService(IInboxStore store, TimeProvider clock)
{
    /// <summary>
    /// Runs <paramref name="effect"/> unless <paramref name="consumer"/> already applied <paramref name="messageId"/>.
    /// The effect must write through the connection and transaction it is given. Returns false for a duplicate.
    /// </summary>
    public Task<bool> ApplyOnceAsync(string messageId, string consumer,
        Func<DbConnection, DbTransaction, CancellationToken, Task> effect, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        return store.ApplyOnceAsync(messageId, consumer, clock.GetUtcNow().ToUnixTimeMilliseconds(), effect, cancellationToken);
    }
}
