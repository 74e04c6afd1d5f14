using Npgsql;
using Orleans.Storage;
using NpgsqlTypes;

namespace ReturnOps.Storage.Postgres;

/// <summary>
/// State, outbox rows and read-model rows go to the server as one batch inside one transaction:
/// one round trip for the statements and one for the commit, whatever the number of messages.
/// </summary>
internal sealed class PostgresGrainStateStore(PostgresStorageProvider provider, string origin) : IGrainStateStore
{
    public Task<StoredState> ReadAsync(GrainKey id, CancellationToken cancellationToken) => provider.Guard(async () =>
    {
        await using var command = provider.Npgsql.CreateCommand(SqlStatements.ReadState);
        command.Parameters.AddWithValue("type", id.Type);
        command.Parameters.AddWithValue("key", id.Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredState(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1))
            : new StoredState(null, 0);
    });

    public Task<long> WriteAsync(GrainKey id, long expectedVersion, string? payload, TurnEffects effects, CancellationToken cancellationToken) =>
        provider.Guard(async () =>
        {
            await using var connection = await provider.Npgsql.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection);
            var state = new NpgsqlBatchCommand(expectedVersion == 0 ? SqlStatements.InsertState : SqlStatements.UpdateState);
            state.Parameters.AddWithValue("type", id.Type);
            state.Parameters.AddWithValue("key", id.Key);
            state.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Text) { Value = (object?)payload ?? DBNull.Value });
            if (expectedVersion != 0)
            {
                state.Parameters.AddWithValue("version", expectedVersion);
            }
            batch.BatchCommands.Add(state);
            AddEffects(batch, effects);

            // A lone statement commits by itself; with effects, the batch is one transaction we commit
            // only after seeing that the version check matched.
            await using var tx = effects.IsEmpty ? null : await connection.BeginTransactionAsync(cancellationToken);
            batch.Transaction = tx;
            await batch.ExecuteNonQueryAsync(cancellationToken);
            if (state.RecordsAffected != 1)
            {
                if (tx is not null)
                {
                    await tx.RollbackAsync(cancellationToken);
                }
                throw new InconsistentStateException($"Grain {id}: stored version is not {expectedVersion}.");
            }
            if (tx is not null)
            {
                await tx.CommitAsync(cancellationToken);
            }
            RingIfMessages(effects);
            var version = expectedVersion + 1;
            provider.ChangeFeed.Publish(new StateChange(id, version, origin));
            return version;
        });

    public Task WriteEffectsAsync(TurnEffects effects, CancellationToken cancellationToken) => provider.Guard(async () =>
    {
        if (effects.IsEmpty)
        {
            return 0;
        }
        await using var connection = await provider.Npgsql.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, tx);
        AddEffects(batch, effects);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        RingIfMessages(effects);
        return 0;
    });

    private void RingIfMessages(TurnEffects effects)
    {
        if (effects.Messages.Count > 0)
        {
            provider.OutboxSignal.Ring();
        }
    }

    private static void AddEffects(NpgsqlBatch batch, TurnEffects effects)
    {
        foreach (var message in effects.Messages)
        {
            var insert = new NpgsqlBatchCommand(SqlStatements.InsertOutbox);
            insert.Parameters.AddWithValue("id", message.MessageId);
            insert.Parameters.AddWithValue("destination", message.Destination);
            insert.Parameters.AddWithValue("lane", message.Lane);
            insert.Parameters.AddWithValue("type", message.Type);
            insert.Parameters.AddWithValue("payload", message.Payload);
            insert.Parameters.AddWithValue("occurred", message.OccurredAt.ToUnixTimeMilliseconds());
            batch.BatchCommands.Add(insert);
        }
        foreach (var write in effects.ReadModel)
        {
            batch.BatchCommands.Add(ReadModelCommand(write));
        }
    }

    private static NpgsqlBatchCommand ReadModelCommand(ReadModelWrite write)
    {
        switch (write)
        {
            case ReadModelUpsert upsert:
                var command = new NpgsqlBatchCommand(SqlStatements.ReadModelUpsert(upsert));
                command.Parameters.AddWithValue("id", upsert.Id);
                var i = 0;
                foreach (var value in upsert.Columns.Values)
                {
                    command.Parameters.AddWithValue("c" + i++, value ?? DBNull.Value);
                }
                return command;
            case ReadModelDelete delete:
                var remove = new NpgsqlBatchCommand(SqlStatements.ReadModelDelete(delete));
                remove.Parameters.AddWithValue("id", delete.Id);
                return remove;
            default:
                throw new ArgumentOutOfRangeException(nameof(write), write.GetType().Name, "Unknown read-model write.");
        }
    }
}
