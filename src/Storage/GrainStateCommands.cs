using System.Data;
using System.Data.Common;

namespace ReturnOps.Storage;

/// <summary>
/// The grain-state store's statements over ADO.NET's common types, and how they run together: in one batch, one round trip,
/// where the provider batches (Npgsql); else command after command in the caller's transaction (Microsoft.Data.Sqlite cannot
/// batch and, in-process, has no round trips to save). The SQL text is <see cref="SqlStatements"/>'.
/// </summary>
internal static class GrainStateCommands
{
    /// <summary>One statement with its parameters, built once and run in a batch or as a command.</summary>
    public sealed record Statement(string Sql, IReadOnlyList<Parameter> Parameters);

    /// <summary>
    /// A parameter; with a <see cref="Type"/> where the value may be null, so that Npgsql sends a null payload as
    /// <c>text</c> rather than as a value of unknown type. Without one, the provider infers it from the value.
    /// </summary>
    public readonly record struct Parameter(string Name, object? Value, DbType? Type = null);

    public static Statement Read(GrainKey id) => new(SqlStatements.ReadState, [Text("@type", id.Type), Text("@key", id.Key)]);

    /// <summary>The version-checked insert (first write) or update of a grain's row: it changes one row when the check passes.</summary>
    public static Statement State(StateWrite write) => write.ExpectedVersion == 0
        ? new(SqlStatements.InsertState, [Text("@type", write.Id.Type), Text("@key", write.Id.Key), Text("@payload", write.Payload)])
        : new(SqlStatements.UpdateState, [Text("@type", write.Id.Type), Text("@key", write.Id.Key), Text("@payload", write.Payload),
            new("@version", write.ExpectedVersion, DbType.Int64)]);

    /// <summary>The outbox rows, then the read-model rows, of one turn.</summary>
    public static IEnumerable<Statement> Effects(TurnEffects effects)
    {
        foreach (var message in effects.Messages)
        {
            yield return new(SqlStatements.InsertOutbox,
            [
                Text("@id", message.MessageId), Text("@destination", message.Destination), Text("@lane", message.Lane),
                Text("@type", message.Type), Text("@payload", message.Payload),
                new("@occurred", message.OccurredAt.ToUnixTimeMilliseconds(), DbType.Int64),
            ]);
        }
        foreach (var write in effects.ReadModel)
        {
            yield return write switch
            {
                ReadModelUpsert upsert => new(SqlStatements.ReadModelUpsert(upsert),
                    [Text("@id", upsert.Id), .. upsert.Columns.Values.Select((value, i) => new Parameter("@c" + i, value))]),
                ReadModelDelete delete => new(SqlStatements.ReadModelDelete(delete), [Text("@id", delete.Id)]),
                _ => throw new ArgumentOutOfRangeException(nameof(effects), write.GetType().Name, "Unknown read-model write."),
            };
        }
    }

    /// <summary>
    /// A grain's write, its version check then its effects; true when the check passed. Batched, the effects travel with the
    /// check and a failed check leaves the caller to roll them back; command by command, they are not run after a failed check.
    /// </summary>
    public static async Task<bool> RunWriteAsync(DbConnection connection, DbTransaction? transaction, StateWrite write,
        CancellationToken cancellationToken)
    {
        if (connection.CanCreateBatch)
        {
            var changed = await RunAsync(connection, transaction, [State(write), .. Effects(write.Effects)], cancellationToken);
            return changed[0] == 1;
        }
        if ((await RunAsync(connection, transaction, [State(write)], cancellationToken))[0] != 1)
        {
            return false;
        }
        await RunAsync(connection, transaction, [.. Effects(write.Effects)], cancellationToken);
        return true;
    }

    /// <summary>Runs <paramref name="statements"/> in order and returns how many rows each changed.</summary>
    public static async Task<int[]> RunAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<Statement> statements,
        CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return [];
        }
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var statement in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Sql;
                Bind(command.Parameters, command.CreateParameter, statement);
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return [.. batch.BatchCommands.Select(c => c.RecordsAffected)];
        }
        var rows = new int[statements.Count];
        for (var i = 0; i < statements.Count; i++)
        {
            await using var command = Command(connection, transaction, statements[i]);
            rows[i] = await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return rows;
    }

    /// <summary>A command for <paramref name="statement"/>, to run alone (a read, or a write where the provider cannot batch).</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, Statement statement)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = statement.Sql;
        Bind(command.Parameters, command.CreateParameter, statement);
        return command;
    }

    private static void Bind(DbParameterCollection parameters, Func<DbParameter> create, Statement statement)
    {
        foreach (var (name, value, type) in statement.Parameters)
        {
            var parameter = create();
            parameter.ParameterName = name;
            if (type is { } explicitType)
            {
                parameter.DbType = explicitType;
            }
            parameter.Value = value ?? DBNull.Value;
            parameters.Add(parameter);
        }
    }

    private static Parameter Text(string name, string? value) => new(name, value, DbType.String);
}
