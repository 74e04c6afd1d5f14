using System.Data;
using System.Data.Common;

namespace ReturnOps.Storage;

/// <summary>
/// A parameter of a <see cref="Statement"/>; with a <see cref="Type"/> where the value may be null, so that Npgsql sends a null
/// as the column's type rather than as a value of unknown type. Without one, the provider infers it from the value.
/// </summary>
public readonly record struct StatementParameter(string Name, object? Value, DbType? Type = null);

/// <summary>One SQL statement with its parameters, run alone or with others as one unit (<see cref="StatementBatch"/>).</summary>
public sealed record Statement(string Sql, IReadOnlyList<StatementParameter> Parameters)
{
    public Statement(string sql, params (string Name, object? Value)[] parameters)
        : this(sql, [.. parameters.Select(p => new StatementParameter(p.Name, p.Value))])
    {
    }
}

/// <summary>
/// Statements as one unit, over ADO.NET's common types, for every store that writes several statements together (grain state
/// with its effects, the group commits). Where the provider batches (Npgsql), they go in one round trip, inside the transaction
/// given or else in the one implicit transaction PostgreSQL gives a batch (Npgsql ends it with a single Sync): all or nothing
/// either way. Where it does not (Microsoft.Data.Sqlite: in-process, no round trips to save), they run command after command
/// in the transaction given, or in one of their own.
/// </summary>
public static class StatementBatch
{
    /// <summary>Runs statements that change rows and returns how many rows each changed.</summary>
    public static async Task<IReadOnlyList<int>> WriteAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<Statement> statements, CancellationToken cancellationToken) =>
        [.. (await RunAsync(connection, transaction, statements, readRows: false, cancellationToken)).Select(r => r.Changed)];

    /// <summary>Runs statements that each return rows (queries, or writes with <c>RETURNING</c>) and returns each one's rows.</summary>
    public static async Task<IReadOnlyList<IReadOnlyList<object?[]>>> QueryAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<Statement> statements, CancellationToken cancellationToken) =>
        [.. (await RunAsync(connection, transaction, statements, readRows: true, cancellationToken)).Select(r => r.Rows)];

    /// <summary>A command for <paramref name="statement"/>, to run alone.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, Statement statement)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = statement.Sql;
        Bind(command.Parameters, command.CreateParameter, statement);
        return command;
    }

    private sealed record Outcome(IReadOnlyList<object?[]> Rows, int Changed);

    private static async Task<IReadOnlyList<Outcome>> RunAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<Statement> statements, bool readRows, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return [];
        }
        if (connection.CanCreateBatch)
        {
            return await RunBatchAsync(connection, transaction, statements, readRows, cancellationToken);
        }
        var own = transaction is null && statements.Count > 1 ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var outcomes = new List<Outcome>(statements.Count);
            foreach (var statement in statements)
            {
                await using var command = Command(connection, transaction ?? own, statement);
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
            Bind(command.Parameters, command.CreateParameter, statement);
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
