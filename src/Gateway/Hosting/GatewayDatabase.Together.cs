using System.Data.Common;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Hosting;

/// <summary>One SQL statement with its parameters, run with others as one unit (<see cref="GatewayDatabase.WriteTogetherAsync"/>).</summary>
public sealed record Statement(string Sql, params (string Name, object? Value)[] Parameters);

/// <summary>
/// Statements as one unit, for the group commits (<see cref="CommitGroup{TWrite, TResult}"/>). Where the provider batches
/// (Npgsql), they go in one round trip, inside the transaction given or else in the one implicit transaction PostgreSQL gives a
/// batch (Npgsql ends it with a single Sync): all or nothing either way. Where it does not (Microsoft.Data.Sqlite: in-process,
/// no round trips to save), they run command after command in the transaction given or in one of their own.
/// </summary>
public sealed partial class GatewayDatabase
{
    /// <summary>Runs statements that change rows and returns how many rows each changed.</summary>
    public static async Task<IReadOnlyList<int>> WriteTogetherAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<Statement> statements, CancellationToken cancellationToken) =>
        [.. (await RunTogetherAsync(connection, transaction, statements, readRows: false, cancellationToken)).Select(r => r.Changed)];

    /// <summary>Runs statements that each return rows (queries, or writes with <c>RETURNING</c>) and returns each one's rows.</summary>
    public static async Task<IReadOnlyList<IReadOnlyList<object?[]>>> QueryTogetherAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<Statement> statements, CancellationToken cancellationToken) =>
        [.. (await RunTogetherAsync(connection, transaction, statements, readRows: true, cancellationToken)).Select(r => r.Rows)];

    private sealed record Outcome(IReadOnlyList<object?[]> Rows, int Changed);

    private static async Task<IReadOnlyList<Outcome>> RunTogetherAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<Statement> statements, bool readRows, CancellationToken cancellationToken)
    {
        if (connection.CanCreateBatch)
        {
            return await RunBatchAsync(connection, transaction, statements, readRows, cancellationToken);
        }
        var own = transaction is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var outcomes = new List<Outcome>(statements.Count);
            foreach (var statement in statements)
            {
                await using var command = Command(connection, statement.Sql, statement.Parameters);
                command.Transaction = transaction ?? own;
                if (readRows)
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    outcomes.Add(new Outcome(await ReadAllAsync(reader, cancellationToken), 0));
                }
                else
                {
                    outcomes.Add(new Outcome([], await command.ExecuteNonQueryAsync(cancellationToken)));
                }
            }
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return outcomes;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    private static async Task<IReadOnlyList<Outcome>> RunBatchAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<Statement> statements, bool readRows, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            foreach (var (name, value) in statement.Parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                command.Parameters.Add(p);
            }
            batch.BatchCommands.Add(command);
        }
        if (!readRows)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return [.. batch.BatchCommands.Select(c => new Outcome([], c.RecordsAffected))];
        }
        var outcomes = new List<Outcome>(statements.Count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            outcomes.Add(new Outcome(await ReadAllAsync(reader, cancellationToken), 0));
        }
        while (await reader.NextResultAsync(cancellationToken));
        return outcomes.Count == statements.Count
            ? outcomes
            : throw new InvalidOperationException($"A batch of {statements.Count} queries gave {outcomes.Count} results.");
    }

    private static async Task<List<object?[]>> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }
}
