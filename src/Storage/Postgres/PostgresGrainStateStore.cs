using Npgsql;
using Orleans.Storage;
using NpgsqlTypes;

namespace ReturnOps.Storage.Postgres;

/// <summary>
/// State, outbox rows and read-model rows go to the server in one transaction: alone, one batch and the commit, whatever
/// the number of messages; with other grains' writes that arrive meanwhile, in a group commit (<see cref="StateWriteGroup"/>).
/// </summary>
internal sealed class PostgresGrainStateStore : IGrainStateStore
{
    private readonly PostgresStorageProvider _provider;
    private readonly string _origin;
    private readonly StateWriteGroup _group;

    public PostgresGrainStateStore(PostgresStorageProvider provider, string origin)
    {
        _provider = provider;
        _origin = origin;
        _group = new StateWriteGroup(provider, WriteAloneAsync, Stored);
    }

    public Task<StoredState> ReadAsync(GrainKey id, CancellationToken cancellationToken) => _provider.Guard(async () =>
    {
        await using var command = _provider.Npgsql.CreateCommand(SqlStatements.ReadState);
        command.Parameters.AddWithValue("type", id.Type);
        command.Parameters.AddWithValue("key", id.Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredState(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1))
            : new StoredState(null, 0);
    });

    /// <summary>Joins the next group commit (<see cref="StateWriteGroup"/>); a write that arrives alone goes alone.</summary>
    public Task<long> WriteAsync(GrainKey id, long expectedVersion, string? payload, TurnEffects effects, CancellationToken cancellationToken) =>
        _group.WriteAsync(new StateWrite(id, expectedVersion, payload, effects));

    private Task<long> WriteAloneAsync(StateWrite write) =>
        _provider.Guard(async () =>
        {
            await using var connection = await _provider.Npgsql.OpenConnectionAsync();
            await using var batch = new NpgsqlBatch(connection);
            var state = StateCommand(write.Id, write.ExpectedVersion, write.Payload);
            batch.BatchCommands.Add(state);
            AddEffects(batch, write.Effects);

            // A lone statement commits by itself; with effects, the batch is one transaction we commit
            // only after seeing that the version check matched.
            await using var tx = write.Effects.IsEmpty ? null : await connection.BeginTransactionAsync();
            batch.Transaction = tx;
            await batch.ExecuteNonQueryAsync();
            if (state.RecordsAffected != 1)
            {
                if (tx is not null)
                {
                    await tx.RollbackAsync();
                }
                throw new InconsistentStateException($"Grain {write.Id}: stored version is not {write.ExpectedVersion}.");
            }
            if (tx is not null)
            {
                await tx.CommitAsync();
            }
            var version = write.ExpectedVersion + 1;
            Stored(write, version);
            return version;
        });

    /// <summary>After the commit: the dispatcher looks at once if there are messages, and event streams hear of the write.</summary>
    private void Stored(StateWrite write, long version)
    {
        RingIfMessages(write.Effects);
        _provider.ChangeFeed.Publish(new StateChange(write.Id, version, _origin));
    }

    /// <summary>The version-checked insert (first write) or update of a grain's row.</summary>
    internal static NpgsqlBatchCommand StateCommand(GrainKey id, long expectedVersion, string? payload)
    {
        var state = new NpgsqlBatchCommand(expectedVersion == 0 ? SqlStatements.InsertState : SqlStatements.UpdateState);
        state.Parameters.AddWithValue("type", id.Type);
        state.Parameters.AddWithValue("key", id.Key);
        state.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Text) { Value = (object?)payload ?? DBNull.Value });
        if (expectedVersion != 0)
        {
            state.Parameters.AddWithValue("version", expectedVersion);
        }
        return state;
    }

    public Task WriteEffectsAsync(TurnEffects effects, CancellationToken cancellationToken) => _provider.Guard(async () =>
    {
        if (effects.IsEmpty)
        {
            return 0;
        }
        await using var connection = await _provider.Npgsql.OpenConnectionAsync(cancellationToken);
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
            _provider.OutboxSignal.Ring();
        }
    }

    internal static void AddEffects(NpgsqlBatch batch, TurnEffects effects)
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
