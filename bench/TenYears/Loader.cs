using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using ReturnOps.Grains;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Storage;

namespace ReturnOps.TenYears;

/// <summary>
/// Writes the data set in the formats the application writes: each grain's state as the JSON of
/// <see cref="GrainsJsonContext"/> in <c>grain_state</c> (version 1, as a first write leaves it) and its read-model rows built by
/// the grains' own row builders (<see cref="ReadModelSchema"/>). Plain inserts in transactions of 10,000 rows (batched
/// where the driver batches), on a database the gateway has migrated. <c>TenYearsLoaderTests</c> (Gateway.Tests) checks that a case and an
/// operation written here read back through the API as the ones the grains wrote.
/// </summary>
public static class Loader
{
    private const int RowsPerTransaction = 10_000;

    public static async Task<TimeSpan> LoadAsync(string provider, string connectionString, DataSet data)
    {
        var watch = Stopwatch.StartNew();
        await using DbConnection connection = provider == "Postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var rows = data.Operations.SelectMany(OperationRows).Concat(data.Cases.SelectMany(CaseRows));
        foreach (var chunk in rows.Chunk(RowsPerTransaction))
        {
            await using var tx = await connection.BeginTransactionAsync();
            if (connection.CanCreateBatch)
            {
                foreach (var part in chunk.Chunk(200))
                {
                    await using var batch = connection.CreateBatch();
                    batch.Transaction = tx;
                    foreach (var row in part)
                    {
                        var command = batch.CreateBatchCommand();
                        command.CommandText = row.Sql;
                        AddParameters(row, command.CreateParameter, command.Parameters);
                        batch.BatchCommands.Add(command);
                    }
                    await batch.ExecuteNonQueryAsync();
                }
            }
            else
            {
                foreach (var row in chunk)
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = tx;
                    command.CommandText = row.Sql;
                    AddParameters(row, command.CreateParameter, command.Parameters);
                    await command.ExecuteNonQueryAsync();
                }
            }
            await tx.CommitAsync();
        }
        return watch.Elapsed;
    }

    /// <summary>One row to insert: its statement and its values in parameter order (@p0, @p1, ...).</summary>
    public sealed record Row(string Sql, object?[] Values);

    private static void AddParameters(Row row, Func<DbParameter> create, DbParameterCollection parameters)
    {
        for (var i = 0; i < row.Values.Length; i++)
        {
            var p = create();
            p.ParameterName = "@p" + i;
            p.Value = row.Values[i] ?? DBNull.Value;
            parameters.Add(p);
        }
    }

    public static IEnumerable<Row> CaseRows(GeneratedCase c)
    {
        yield return State("returnee", c.Id, JsonSerializer.Serialize(c.State, GrainsJsonContext.Default.ReturneeState));
        yield return Insert(ReadModelSchema.ReturneeRow(c.Id, c.Owner, DataSet.StatusOf(c.State), c.State.Booking?.OperationId,
            c.State.Erased ? null : c.State.Case, c.WrittenAt));
    }

    public static IEnumerable<Row> OperationRows(GeneratedOperation o)
    {
        yield return State("return-operation", o.Id, JsonSerializer.Serialize(o.State, GrainsJsonContext.Default.ReturnOperationState));
        // The bookings are rows of their own beside the state (bookingrows 1), as the grain writes them.
        for (var position = 0; position < o.State.Bookings.Count; position++)
        {
            yield return Insert(BookingRows.Row(o.Id, position, BookingRows.Json(o.State.Bookings[position])));
        }
        // An ended operation's booking rows are deletes (it leaves GET /bookings); a fresh load has nothing to delete.
        foreach (var write in ReadModelSchema.OperationRows(o.Id, o.State, o.WrittenAt, _ => true).OfType<ReadModelUpsert>())
        {
            yield return Insert(write);
        }
        // The persons returned, as the grain wrote them from departure until retention erased the ids (which the set marks as done,
        // keeping the ids in the bookings, so the rows can still be formed here).
        if (o.State.PersonalDataErased && o.State.Status is OperationStatus.Completed)
        {
            foreach (var write in ReturnCounts.Rows(o.Id, o.State))
            {
                yield return Insert(write);
            }
        }
    }

    private static Row State(string type, string key, string payload) =>
        new("INSERT INTO grain_state (grain_type, grain_key, version, payload) VALUES (@p0, @p1, 1, @p2)", [type, key, payload]);

    private static readonly Dictionary<string, string> s_inserts = [];

    private static Row Insert(ReadModelUpsert write)
    {
        var shape = write.Table + ":" + string.Join(',', write.Columns.Keys);
        if (!s_inserts.TryGetValue(shape, out var sql))
        {
            var names = write.Columns.Keys.ToList();
            sql = $"INSERT INTO {write.Table} (id, {string.Join(", ", names)}) VALUES (@p0, {string.Join(", ", names.Select((_, i) => "@p" + (i + 1)))})";
            s_inserts[shape] = sql;
        }
        return new Row(sql, [write.Id, .. write.Columns.Values]);
    }
}
