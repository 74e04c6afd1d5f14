using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReturnOps.Storage;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Everything messaging stores, on either database, over ADO.NET's common types. What differs per database is data
/// (<see cref="MessagingSql"/>) or the runtime's (<see cref="IGrainStateDatabase"/>: how a connection opens and fails, how
/// SQLite's writers take turns behind one gate, where PostgreSQL's NOTIFY is heard).
/// </summary>
internal sealed class MessagingStore(IGrainStateDatabase database, MessagingSql sql) : IMessagingStore
{
    public Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, long nowMs, long leaseUntilMs, int lanes, int perLane, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, (connection, tx) => QueryAsync(connection, tx, new Statement(sql.Claim,
            ("owner", owner), ("now", nowMs), ("lease", leaseUntilMs), ("lanes", lanes), ("per_lane", perLane)), MessagingRows.Outbox, cancellationToken),
            cancellationToken);

    public Task CompleteAsync(IReadOnlyCollection<CompletedMessage> messages, CancellationToken cancellationToken) =>
        messages.Count == 0 ? Task.CompletedTask : WriteAsync(new Statement(sql.Complete, ("messages", CompletedJson(messages))), cancellationToken);

    public Task RescheduleAsync(long id, string owner, int attempts, long nextAttemptMs, string error, CancellationToken cancellationToken) =>
        WriteAsync(new Statement(MessagingRows.Reschedule,
            ("id", id), ("owner", owner), ("attempts", attempts), ("next", nextAttemptMs), ("error", error)), cancellationToken);

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string owner, CancellationToken cancellationToken) =>
        WriteAsync(new Statement(sql.Release, ("ids", IdsJson(ids)), ("owner", owner)), cancellationToken);

    public Task WakeAsync(IReadOnlyCollection<long> ids, long nowMs, CancellationToken cancellationToken) =>
        WriteAsync(new Statement(sql.Wake, ("ids", IdsJson(ids)), ("now", nowMs)), cancellationToken);

    public Task<IReadOnlyList<DeliveryRecord>> ListAsync(string status, long afterId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => QueryAsync(connection, null,
            new Statement(MessagingRows.List, ("status", status), ("after", afterId), ("limit", limit)), MessagingRows.Delivery, cancellationToken),
            cancellationToken);

    public Task<ReplayResult> ReplayAsync(string messageId, long nowMs, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, async (connection, tx) =>
        {
            await using (var replay = StatementBatch.Command(connection, tx, new Statement(MessagingRows.Replay, ("id", messageId), ("now", nowMs))))
            {
                if (await replay.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return ReplayResult.Replayed;
                }
            }
            await using var exists = StatementBatch.Command(connection, tx, new Statement(MessagingRows.MessageExists, ("id", messageId)));
            return await exists.ExecuteScalarAsync(cancellationToken) is null ? ReplayResult.NotFound : ReplayResult.NotReplayable;
        }, cancellationToken);

    public Task ListenAsync(Action onSignal, CancellationToken cancellationToken) => database.ListenForMessagesAsync(onSignal, cancellationToken);

    public Task InsertAsync(SubscriptionTarget subscription, CancellationToken cancellationToken) =>
        WriteAsync(new Statement(MessagingRows.InsertSubscription, ("id", subscription.Id), ("country", subscription.Country),
            ("url", subscription.Url.ToString()), ("secret", subscription.Secret), ("events", subscription.Events.ToStored()),
            ("created", subscription.CreatedMs)), cancellationToken);

    public async Task<bool> DeleteAsync(string country, string id, CancellationToken cancellationToken) =>
        await WriteAsync(new Statement(MessagingRows.DeleteSubscription, ("id", id), ("country", country)), cancellationToken) == 1;

    public async Task<bool> RotateSecretAsync(string country, string id, string secret, CancellationToken cancellationToken) =>
        await WriteAsync(new Statement(MessagingRows.RotateSecret, ("id", id), ("country", country), ("secret", secret)), cancellationToken) == 1;

    public Task<IReadOnlyList<SubscriptionTarget>> ForCountryAsync(string country, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => QueryAsync(connection, null,
            new Statement(MessagingRows.SubscriptionsOfCountry, ("country", country)), MessagingRows.Subscription, cancellationToken),
            cancellationToken);

    public Task<bool> ApplyOnceAsync(string messageId, string consumer, long nowMs,
        Func<DbConnection, DbTransaction, CancellationToken, Task> effect, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: true, async (connection, tx) =>
        {
            // A concurrent duplicate blocks on the primary key until the first commits, then inserts nothing (and the
            // empty transaction commits, running nothing).
            await using var insert = StatementBatch.Command(connection, tx,
                new Statement(MessagingRows.InsertInbox, ("id", messageId), ("consumer", consumer), ("now", nowMs)));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
            await effect(connection, tx!, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>One statement that changes rows; alone it commits by itself on PostgreSQL, behind the write gate on SQLite.</summary>
    private Task<int> WriteAsync(Statement statement, CancellationToken cancellationToken) =>
        database.WriteAsync(transaction: false, async (connection, tx) =>
        {
            await using var command = StatementBatch.Command(connection, tx, statement);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task<IReadOnlyList<T>> QueryAsync<T>(DbConnection connection, DbTransaction? tx, Statement statement,
        Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = StatementBatch.Command(connection, tx, statement);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static string IdsJson(IReadOnlyCollection<long> ids) =>
        "[" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string CompletedJson(IReadOnlyCollection<CompletedMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", message.Id);
                writer.WriteString("status", message.Status);
                writer.WriteNumber("attempts", message.Attempts);
                writer.WriteString("error", message.Error);
                writer.WriteNumber("at", message.AtMs);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
