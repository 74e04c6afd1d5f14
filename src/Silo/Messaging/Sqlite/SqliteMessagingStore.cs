using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ReturnOps.Storage.Sqlite;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging.Sqlite;

/// <summary>
/// All messaging SQL for SQLite. Writes go through the runtime's write gate in immediate transactions, so a
/// claim is atomic without row locks: one process owns the file, and claims by several dispatchers in it
/// simply queue.
/// </summary>
internal sealed class SqliteMessagingStore(SqliteStorageProvider provider) : IMessagingStore
{
    private const string Claim = """
        WITH heads AS (
            SELECT o.id, o.destination, o.lane FROM outbox o
            WHERE o.status = 'pending' AND o.next_attempt_ms <= @now
              AND (o.claimed_until_ms IS NULL OR o.claimed_until_ms < @now)
              AND NOT EXISTS (SELECT 1 FROM outbox e
                              WHERE e.status = 'pending' AND e.destination = o.destination AND e.lane = o.lane AND e.id < o.id)
            ORDER BY o.id
            LIMIT @lanes),
        lane_rows AS (
            SELECT o.id, row_number() OVER (PARTITION BY o.destination, o.lane ORDER BY o.id) AS position
            FROM outbox o JOIN heads h ON o.destination = h.destination AND o.lane = h.lane
            WHERE o.status = 'pending' AND o.id >= h.id)
        UPDATE outbox SET claimed_by = @owner, claimed_until_ms = @lease
        WHERE id IN (SELECT id FROM lane_rows WHERE position <= @per_lane)
        RETURNING id, message_id, destination, lane, type, payload, occurred_ms, attempts
        """;

    // One statement for a lane's batch, its messages passed as a JSON array of {id, status, attempts, error, at}.
    private const string Complete = """
        UPDATE outbox SET status = c.status, attempts = c.attempts, last_error = c.error, delivered_ms = c.at,
                          claimed_by = NULL, claimed_until_ms = NULL
        FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.status') AS status,
                     json_extract(value, '$.attempts') AS attempts, json_extract(value, '$.error') AS error,
                     json_extract(value, '$.at') AS at
              FROM json_each(@messages)) AS c
        WHERE outbox.id = c.id AND outbox.status = 'pending'
        """;

    private const string Release = """
        UPDATE outbox SET claimed_by = NULL, claimed_until_ms = NULL
        WHERE id IN (SELECT value FROM json_each(@ids)) AND claimed_by = @owner AND status = 'pending'
        """;

    private const string WakeRows = """
        UPDATE outbox SET next_attempt_ms = @now
        WHERE id IN (SELECT value FROM json_each(@ids)) AND claimed_by IS NULL AND status = 'pending' AND next_attempt_ms > @now
        """;

    public Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, long nowMs, long leaseUntilMs, int lanes, int perLane, CancellationToken cancellationToken) =>
        provider.WriteAsync<IReadOnlyList<OutboxRow>>(async (connection, tx) =>
        {
            await using var command = new SqliteCommand(Claim, connection, tx);
            command.Parameters.AddWithValue("@owner", owner);
            command.Parameters.AddWithValue("@now", nowMs);
            command.Parameters.AddWithValue("@lease", leaseUntilMs);
            command.Parameters.AddWithValue("@lanes", lanes);
            command.Parameters.AddWithValue("@per_lane", perLane);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<OutboxRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(MessagingRows.Outbox(reader));
            }
            return rows;
        }, cancellationToken);

    public Task CompleteAsync(IReadOnlyCollection<CompletedMessage> messages, CancellationToken cancellationToken) =>
        messages.Count == 0 ? Task.CompletedTask : Write(Complete, c => c.Parameters.AddWithValue("@messages", CompletedJson(messages)), cancellationToken);

    public Task RescheduleAsync(long id, string owner, int attempts, long nextAttemptMs, string error, CancellationToken cancellationToken) => Write(MessagingRows.Reschedule, c =>
    {
        c.Parameters.AddWithValue("@id", id);
        c.Parameters.AddWithValue("@owner", owner);
        c.Parameters.AddWithValue("@attempts", attempts);
        c.Parameters.AddWithValue("@next", nextAttemptMs);
        c.Parameters.AddWithValue("@error", error);
    }, cancellationToken);

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string owner, CancellationToken cancellationToken) => Write(Release, c =>
    {
        c.Parameters.AddWithValue("@ids", "[" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]");
        c.Parameters.AddWithValue("@owner", owner);
    }, cancellationToken);

    public Task WakeAsync(IReadOnlyCollection<long> ids, long nowMs, CancellationToken cancellationToken) => Write(WakeRows, c =>
    {
        c.Parameters.AddWithValue("@ids", "[" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]");
        c.Parameters.AddWithValue("@now", nowMs);
    }, cancellationToken);

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string status, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await provider.OpenAsync(cancellationToken);
        await using var command = new SqliteCommand(MessagingRows.List, connection);
        command.Parameters.AddWithValue("@status", status);
        command.Parameters.AddWithValue("@after", afterId);
        command.Parameters.AddWithValue("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(MessagingRows.Delivery(reader));
        }
        return records;
    }

    public Task<ReplayResult> ReplayAsync(string messageId, long nowMs, CancellationToken cancellationToken) =>
        provider.WriteAsync(async (connection, tx) =>
        {
            await using var command = new SqliteCommand(MessagingRows.Replay, connection, tx);
            command.Parameters.AddWithValue("@id", messageId);
            command.Parameters.AddWithValue("@now", nowMs);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return ReplayResult.Replayed;
            }
            await using var exists = new SqliteCommand("SELECT 1 FROM outbox WHERE message_id = @id", connection, tx);
            exists.Parameters.AddWithValue("@id", messageId);
            return await exists.ExecuteScalarAsync(cancellationToken) is null ? ReplayResult.NotFound : ReplayResult.NotReplayable;
        }, cancellationToken);

    /// <summary>No signal across SQLite connections: the dispatcher polls (and is woken in-process by replays).</summary>
    public Task ListenAsync(Action onSignal, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task InsertAsync(SubscriptionTarget subscription, CancellationToken cancellationToken) =>
        Write(MessagingRows.InsertSubscription, c => MessagingRows.BindSubscription(c, subscription), cancellationToken);

    public async Task<bool> DeleteAsync(string country, string id, CancellationToken cancellationToken) =>
        await Write(MessagingRows.DeleteSubscription, c => MessagingRows.BindSubscriptionKey(c, country, id), cancellationToken) == 1;

    public async Task<bool> RotateSecretAsync(string country, string id, string secret, CancellationToken cancellationToken) =>
        await Write(MessagingRows.RotateSecret, c =>
        {
            MessagingRows.BindSubscriptionKey(c, country, id);
            MessagingRows.Add(c, "secret", secret);
        }, cancellationToken) == 1;

    public async Task<IReadOnlyList<SubscriptionTarget>> ForCountryAsync(string country, CancellationToken cancellationToken)
    {
        await using var connection = await provider.OpenAsync(cancellationToken);
        await using var command = new SqliteCommand(MessagingRows.SubscriptionsOfCountry, connection);
        command.Parameters.AddWithValue("@country", country);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var subscriptions = new List<SubscriptionTarget>();
        while (await reader.ReadAsync(cancellationToken))
        {
            subscriptions.Add(MessagingRows.Subscription(reader));
        }
        return subscriptions;
    }

    public Task<bool> ApplyOnceAsync(string messageId, string consumer, long nowMs,
        Func<DbConnection, DbTransaction, CancellationToken, Task> effect, CancellationToken cancellationToken) =>
        provider.WriteAsync(async (connection, tx) =>
        {
            await using var insert = new SqliteCommand(MessagingRows.InsertInbox, connection, tx);
            insert.Parameters.AddWithValue("@id", messageId);
            insert.Parameters.AddWithValue("@consumer", consumer);
            insert.Parameters.AddWithValue("@now", nowMs);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
            await effect(connection, tx, cancellationToken);
            return true;
        }, cancellationToken);

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

    private Task<int> Write(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        provider.WriteAsync(async (connection, tx) =>
        {
            await using var command = new SqliteCommand(sql, connection, tx);
            bind(command);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
