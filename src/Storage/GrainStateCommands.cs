using System.Data;
using System.Data.Common;

namespace ReturnOps.Storage;

/// <summary>
/// The grain-state store's statements over ADO.NET's common types, run together by <see cref="StatementBatch"/>.
/// The SQL text is <see cref="SqlStatements"/>'.
/// </summary>
internal static class GrainStateCommands
{
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
                    [Text("@id", upsert.Id), .. upsert.Columns.Values.Select((value, i) => new StatementParameter("@c" + i, value))]),
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
            var changed = await StatementBatch.WriteAsync(connection, transaction, [State(write), .. Effects(write.Effects)], cancellationToken);
            return changed[0] == 1;
        }
        if ((await StatementBatch.WriteAsync(connection, transaction, [State(write)], cancellationToken))[0] != 1)
        {
            return false;
        }
        await StatementBatch.WriteAsync(connection, transaction, [.. Effects(write.Effects)], cancellationToken);
        return true;
    }

    private static StatementParameter Text(string name, string? value) => new(name, value, DbType.String);
}
