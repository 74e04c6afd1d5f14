using System.Data.Common;
using Npgsql;
using ReturnOps.Storage;
using ReturnOps.Storage.Postgres;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging.Postgres;

/// <summary>All messaging SQL for PostgreSQL, on the runtime's connection pool.</summary>
internal sealed partial class PostgresMessagingStore(PostgresStorageProvider provider, ILogger<PostgresMessagingStore> logger) : IMessagingStore
{
    // Heads are the first pending message of each lane. Locking them with SKIP LOCKED lets replicas claim at
    // once without waiting on each other, and whoever holds a lane's head is the only one that claims the rest
    // of that lane, so two replicas never send one lane concurrently (until a lease expires). The NOT EXISTS
    // probes outbox_lane (destination, lane, id) WHERE pending: one index lookup per candidate head. A lane's rows are
    // read from the same index with LIMIT per head (LATERAL), not numbered over the whole lane: with a backlog of 200
    // per lane numbering all of them made the claim about three times slower (37 ms against 12 ms for 32 lanes × 20,
    // docs/performance.md, issue 13 §3). SQLite has no LATERAL; its claim numbers the rows.
    private const string Claim = """
        WITH heads AS (
            SELECT o.id, o.destination, o.lane FROM outbox o
            WHERE o.status = 'pending' AND o.next_attempt_ms <= @now
              AND (o.claimed_until_ms IS NULL OR o.claimed_until_ms < @now)
              AND NOT EXISTS (SELECT 1 FROM outbox e
                              WHERE e.status = 'pending' AND e.destination = o.destination AND e.lane = o.lane AND e.id < o.id)
            ORDER BY o.id
            LIMIT @lanes
            FOR UPDATE OF o SKIP LOCKED),
        lane_rows AS (
            SELECT l.id FROM heads h CROSS JOIN LATERAL (
                SELECT o.id FROM outbox o
                WHERE o.status = 'pending' AND o.destination = h.destination AND o.lane = h.lane AND o.id >= h.id
                ORDER BY o.id
                LIMIT @per_lane) l)
        UPDATE outbox o SET claimed_by = @owner, claimed_until_ms = @lease
        FROM lane_rows r
        WHERE o.id = r.id AND o.status = 'pending'
        RETURNING o.id, o.message_id, o.destination, o.lane, o.type, o.payload, o.occurred_ms, o.attempts
        """;

    // One statement for a lane's batch: the arrays are unnested side by side into (id, status, attempts, error, at) rows.
    private const string Complete = """
        UPDATE outbox o SET status = c.status, attempts = c.attempts, last_error = c.error, delivered_ms = c.at,
                            claimed_by = NULL, claimed_until_ms = NULL
        FROM unnest(@ids, @statuses, @attempts, @errors, @at) AS c(id, status, attempts, error, at)
        WHERE o.id = c.id AND o.status = 'pending'
        """;

    private const string Release = """
        UPDATE outbox SET claimed_by = NULL, claimed_until_ms = NULL
        WHERE id = ANY(@ids) AND claimed_by = @owner AND status = 'pending'
        """;

    private const string WakeRows = """
        UPDATE outbox SET next_attempt_ms = @now
        WHERE id = ANY(@ids) AND claimed_by IS NULL AND status = 'pending' AND next_attempt_ms > @now
        """;

    public Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, long nowMs, long leaseUntilMs, int lanes, int perLane, CancellationToken cancellationToken) =>
        provider.Guard<IReadOnlyList<OutboxRow>>(async () =>
        {
            await using var command = provider.Npgsql.CreateCommand(Claim);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("now", nowMs);
            command.Parameters.AddWithValue("lease", leaseUntilMs);
            command.Parameters.AddWithValue("lanes", lanes);
            command.Parameters.AddWithValue("per_lane", perLane);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<OutboxRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(MessagingRows.Outbox(reader));
            }
            return rows;
        });

    public Task CompleteAsync(IReadOnlyCollection<CompletedMessage> messages, CancellationToken cancellationToken) =>
        messages.Count == 0 ? Task.CompletedTask : Run(Complete, c =>
        {
            c.Parameters.AddWithValue("ids", messages.Select(m => m.Id).ToArray());
            c.Parameters.AddWithValue("statuses", messages.Select(m => m.Status).ToArray());
            c.Parameters.AddWithValue("attempts", messages.Select(m => m.Attempts).ToArray());
            c.Parameters.Add(new NpgsqlParameter("errors", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
            {
                Value = messages.Select(m => (object?)m.Error ?? DBNull.Value).ToArray(),
            });
            c.Parameters.AddWithValue("at", messages.Select(m => m.AtMs).ToArray());
        }, cancellationToken);

    public Task RescheduleAsync(long id, string owner, int attempts, long nextAttemptMs, string error, CancellationToken cancellationToken) => Run(MessagingRows.Reschedule, c =>
    {
        c.Parameters.AddWithValue("id", id);
        c.Parameters.AddWithValue("owner", owner);
        c.Parameters.AddWithValue("attempts", attempts);
        c.Parameters.AddWithValue("next", nextAttemptMs);
        c.Parameters.AddWithValue("error", error);
    }, cancellationToken);

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string owner, CancellationToken cancellationToken) => Run(Release, c =>
    {
        c.Parameters.AddWithValue("ids", ids.ToArray());
        c.Parameters.AddWithValue("owner", owner);
    }, cancellationToken);

    public Task WakeAsync(IReadOnlyCollection<long> ids, long nowMs, CancellationToken cancellationToken) => Run(WakeRows, c =>
    {
        c.Parameters.AddWithValue("ids", ids.ToArray());
        c.Parameters.AddWithValue("now", nowMs);
    }, cancellationToken);

    public Task<IReadOnlyList<DeliveryRecord>> ListAsync(string status, long afterId, int limit, CancellationToken cancellationToken) =>
        provider.Guard<IReadOnlyList<DeliveryRecord>>(async () =>
        {
            await using var command = provider.Npgsql.CreateCommand(MessagingRows.List);
            command.Parameters.AddWithValue("status", status);
            command.Parameters.AddWithValue("after", afterId);
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var records = new List<DeliveryRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(MessagingRows.Delivery(reader));
            }
            return records;
        });

    public Task<ReplayResult> ReplayAsync(string messageId, long nowMs, CancellationToken cancellationToken) => provider.Guard(async () =>
    {
        await using var command = provider.Npgsql.CreateCommand(MessagingRows.Replay);
        command.Parameters.AddWithValue("id", messageId);
        command.Parameters.AddWithValue("now", nowMs);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return ReplayResult.Replayed;
        }
        await using var exists = provider.Npgsql.CreateCommand("SELECT 1 FROM outbox WHERE message_id = @id");
        exists.Parameters.AddWithValue("id", messageId);
        return await exists.ExecuteScalarAsync(cancellationToken) is null ? ReplayResult.NotFound : ReplayResult.NotReplayable;
    });

    public async Task ListenAsync(Action onSignal, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await provider.Guard(async () => await provider.Listening.OpenConnectionAsync(cancellationToken));
                connection.Notification += (_, _) => onSignal();
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresOutboxSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }
                // Rows written while no one listened are found by this look, then by NOTIFY.
                onSignal();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or StorageUnavailableException)
            {
                LogListenLost(logger, ex);
                // Real time on purpose: this paces reconnects to a server; polling covers the gap.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public Task InsertAsync(SubscriptionTarget subscription, CancellationToken cancellationToken) =>
        Run(MessagingRows.InsertSubscription, c => MessagingRows.BindSubscription(c, subscription), cancellationToken);

    public async Task<bool> DeleteAsync(string country, string id, CancellationToken cancellationToken) =>
        await Run(MessagingRows.DeleteSubscription, c => MessagingRows.BindSubscriptionKey(c, country, id), cancellationToken) == 1;

    public async Task<bool> RotateSecretAsync(string country, string id, string secret, CancellationToken cancellationToken) =>
        await Run(MessagingRows.RotateSecret, c =>
        {
            MessagingRows.BindSubscriptionKey(c, country, id);
            MessagingRows.Add(c, "secret", secret);
        }, cancellationToken) == 1;

    public Task<IReadOnlyList<SubscriptionTarget>> ForCountryAsync(string country, CancellationToken cancellationToken) =>
        provider.Guard<IReadOnlyList<SubscriptionTarget>>(async () =>
        {
            await using var command = provider.Npgsql.CreateCommand(MessagingRows.SubscriptionsOfCountry);
            command.Parameters.AddWithValue("country", country);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var subscriptions = new List<SubscriptionTarget>();
            while (await reader.ReadAsync(cancellationToken))
            {
                subscriptions.Add(MessagingRows.Subscription(reader));
            }
            return subscriptions;
        });

    public Task<bool> ApplyOnceAsync(string messageId, string consumer, long nowMs,
        Func<DbConnection, DbTransaction, CancellationToken, Task> effect, CancellationToken cancellationToken) => provider.Guard(async () =>
    {
        await using var connection = await provider.Npgsql.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // A concurrent duplicate blocks on the primary key until the first commits, then inserts nothing.
        await using var insert = new NpgsqlCommand(MessagingRows.InsertInbox, connection, tx);
        insert.Parameters.AddWithValue("id", messageId);
        insert.Parameters.AddWithValue("consumer", consumer);
        insert.Parameters.AddWithValue("now", nowMs);
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }
        await effect(connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    });

    private Task<int> Run(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken) => provider.Guard(async () =>
    {
        await using var command = provider.Npgsql.CreateCommand(sql);
        bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection for outbox signals; polling until it is back")]
    private static partial void LogListenLost(ILogger logger, Exception ex);
}
