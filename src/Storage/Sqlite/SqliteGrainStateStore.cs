using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace ReturnOps.Storage.Sqlite;

internal sealed class SqliteGrainStateStore(SqliteStorageProvider provider, string origin) : IGrainStateStore
{
    public async Task<StoredState> ReadAsync(GrainKey id, CancellationToken cancellationToken)
    {
        await using var connection = await provider.OpenAsync(cancellationToken);
        await using var command = new SqliteCommand(SqlStatements.ReadState, connection);
        command.Parameters.AddWithValue("@type", id.Type);
        command.Parameters.AddWithValue("@key", id.Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredState(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1))
            : new StoredState(null, 0);
    }

    public async Task<long> WriteAsync(GrainKey id, long expectedVersion, string? payload, TurnEffects effects, CancellationToken cancellationToken)
    {
        var version = await provider.WriteAsync(async (connection, tx) =>
        {
            await using var state = new SqliteCommand(expectedVersion == 0 ? SqlStatements.InsertState : SqlStatements.UpdateState, connection, tx);
            state.Parameters.AddWithValue("@type", id.Type);
            state.Parameters.AddWithValue("@key", id.Key);
            state.Parameters.AddWithValue("@payload", (object?)payload ?? DBNull.Value);
            if (expectedVersion != 0)
            {
                state.Parameters.AddWithValue("@version", expectedVersion);
            }
            if (await state.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                // Thrown inside the transaction: it rolls back, so no effect of this turn is written.
                throw new InconsistentStateException($"Grain {id}: stored version is not {expectedVersion}.");
            }
            await WriteEffects(connection, tx, effects, cancellationToken);
            return expectedVersion + 1;
        }, cancellationToken);
        provider.ChangeFeed.Publish(new StateChange(id, version, origin));
        return version;
    }

    public Task WriteEffectsAsync(TurnEffects effects, CancellationToken cancellationToken) =>
        effects.IsEmpty
            ? Task.CompletedTask
            : provider.WriteAsync(async (connection, tx) =>
            {
                await WriteEffects(connection, tx, effects, cancellationToken);
                return 0;
            }, cancellationToken);

    private static async Task WriteEffects(SqliteConnection connection, SqliteTransaction tx, TurnEffects effects, CancellationToken cancellationToken)
    {
        foreach (var message in effects.Messages)
        {
            await using var insert = new SqliteCommand(SqlStatements.InsertOutbox, connection, tx);
            insert.Parameters.AddWithValue("@id", message.MessageId);
            insert.Parameters.AddWithValue("@destination", message.Destination);
            insert.Parameters.AddWithValue("@lane", message.Lane);
            insert.Parameters.AddWithValue("@type", message.Type);
            insert.Parameters.AddWithValue("@payload", message.Payload);
            insert.Parameters.AddWithValue("@occurred", message.OccurredAt.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var write in effects.ReadModel)
        {
            await using var command = ReadModelCommand(write, connection, tx);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static SqliteCommand ReadModelCommand(ReadModelWrite write, SqliteConnection connection, SqliteTransaction tx)
    {
        switch (write)
        {
            case ReadModelUpsert upsert:
                var command = new SqliteCommand(SqlStatements.ReadModelUpsert(upsert), connection, tx);
                command.Parameters.AddWithValue("@id", upsert.Id);
                var i = 0;
                foreach (var value in upsert.Columns.Values)
                {
                    command.Parameters.AddWithValue("@c" + i++, value ?? DBNull.Value);
                }
                return command;
            case ReadModelDelete delete:
                var remove = new SqliteCommand(SqlStatements.ReadModelDelete(delete), connection, tx);
                remove.Parameters.AddWithValue("@id", delete.Id);
                return remove;
            default:
                throw new ArgumentOutOfRangeException(nameof(write), write.GetType().Name, "Unknown read-model write.");
        }
    }
}
