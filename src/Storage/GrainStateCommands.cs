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

    /// <summary>Most rows in one multi-row statement: 6 parameters an outbox row, up to ~14 a read-model row, far below either database's limit.</summary>
    public const int RowsPerStatement = 200;

    /// <summary>
    /// The outbox rows, then the read-model rows, of one turn or of a group of turns, as few statements as the rows allow
    /// (issue 22): every outbox row in one INSERT, and the read-model rows in one upsert or DELETE per table and column set.
    /// A booking batch wrote one statement per row before (three notifications, a booking row and a list row per booking).
    /// The writes keep their order where it matters: a row written twice, or a table both upserted and deleted from, goes
    /// statement by statement in the order given.
    /// </summary>
    public static IEnumerable<Statement> Effects(TurnEffects effects) => Effects([effects]);

    /// <inheritdoc cref="Effects(TurnEffects)"/>
    public static IEnumerable<Statement> Effects(IReadOnlyList<TurnEffects> turns)
    {
        foreach (var chunk in turns.SelectMany(t => t.Messages).Chunk(RowsPerStatement))
        {
            yield return new(SqlStatements.InsertOutboxRows(chunk.Length),
            [
                .. chunk.SelectMany((message, i) => new[]
                {
                    Text("@i" + i, message.MessageId), Text("@d" + i, message.Destination), Text("@l" + i, message.Lane),
                    Text("@t" + i, message.Type), Text("@p" + i, message.Payload),
                    new StatementParameter("@o" + i, message.OccurredAt.ToUnixTimeMilliseconds(), DbType.Int64),
                }),
            ]);
        }
        var writes = turns.SelectMany(t => t.ReadModel).ToList();
        if (!CanGroup(writes))
        {
            foreach (var write in writes)
            {
                yield return Single(write);
            }
            yield break;
        }
        // Deletes first: a row deleted and another inserted in one write never meet on a unique key (ids are distinct here).
        foreach (var shape in writes.GroupBy(w => (w.Table, Shape(w))).OrderBy(g => g.First() is ReadModelDelete ? 0 : 1))
        {
            foreach (var chunk in shape.Chunk(RowsPerStatement))
            {
                yield return chunk[0] switch
                {
                    ReadModelUpsert first => new(SqlStatements.ReadModelUpsertRows(first, chunk.Length), RowParameters(chunk, w => ((ReadModelUpsert)w).Columns.Values)),
                    ReadModelInsert first => new(SqlStatements.ReadModelInsertRows(first, chunk.Length), RowParameters(chunk, w => ((ReadModelInsert)w).Columns.Values)),
                    ReadModelUpdate first => new(SqlStatements.ReadModelUpdateRows(first, chunk.Length), RowParameters(chunk, w => ((ReadModelUpdate)w).Columns.Values)),
                    _ => new(SqlStatements.ReadModelDeleteRows(chunk[0].Table, chunk.Length), [.. chunk.Select((d, i) => Text("@id" + i, d.Id))]),
                };
            }
        }
    }

    /// <summary>Each row's id (<c>@id{n}</c>) and column values (<c>@c{n}_{column}</c>), row after row.</summary>
    private static List<StatementParameter> RowParameters(ReadModelWrite[] rows, Func<ReadModelWrite, IEnumerable<object?>> values) =>
    [
        .. rows.SelectMany((row, i) => values(row).Select((value, c) => new StatementParameter($"@c{i}_{c}", value)).Prepend(Text("@id" + i, row.Id))),
    ];

    /// <summary>Rows may be written together, in any order, when no row is written twice.</summary>
    private static bool CanGroup(List<ReadModelWrite> writes) => writes.Select(w => (w.Table, w.Id)).Distinct().Count() == writes.Count;

    /// <summary>Writes of one shape share a statement: a table's deletes, or its upserts, inserts or updates of the same columns.</summary>
    private static string Shape(ReadModelWrite write) => write switch
    {
        ReadModelUpsert upsert => "upsert:" + string.Join(',', upsert.Columns.Keys),
        ReadModelInsert insert => "insert:" + string.Join(',', insert.Columns.Keys),
        ReadModelUpdate update => "update:" + string.Join(',', update.Columns.Keys),
        _ => "delete",
    };

    private static Statement Single(ReadModelWrite write) => write switch
    {
        ReadModelDelete delete => new(SqlStatements.ReadModelDelete(delete), [Text("@id", delete.Id)]),
        ReadModelUpsert upsert => new(SqlStatements.ReadModelUpsertRows(upsert, 1), RowParameters([upsert], _ => upsert.Columns.Values)),
        ReadModelInsert insert => new(SqlStatements.ReadModelInsertRows(insert, 1), RowParameters([insert], _ => insert.Columns.Values)),
        ReadModelUpdate update => new(SqlStatements.ReadModelUpdateRows(update, 1), RowParameters([update], _ => update.Columns.Values)),
        _ => throw new ArgumentOutOfRangeException(nameof(write), write.GetType().Name, "Unknown read-model write."),
    };

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
