using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using ReturnOps.Grains.ReadModels;

namespace ReturnOps.TenYears;

/// <summary>
/// The plans of the lists' first pages on the loaded data, and the time of the query alone (median of 20 runs, in the
/// benchmark's process, no HTTP): what the indexes of <see cref="ListIndexes"/> are for, and what is left for the rest
/// of a request.
/// </summary>
public static class Plans
{
    public static async Task<List<string>> ExplainAsync(string provider, string connectionString)
    {
        var all = new ReturneeListFilter("DE", null, false, null, null, null);
        var queries = new (string Name, string Sql, (string, object)[] Parameters)[]
        {
            ("returnees, DE, first page", ReadModelLists.ReturneePage(all, after: false), [("@owner", "DE"), ("@limit", 101L)]),
            ("returnees, DE, status=Available", ReadModelLists.ReturneePage(all with { Status = "Available" }, after: false),
                [("@owner", "DE"), ("@status", "Available"), ("@limit", 101L)]),
            ("returnees, SI, first page", ReadModelLists.ReturneePage(all with { Owner = "SI" }, after: false), [("@owner", "SI"), ("@limit", 101L)]),
            ("operations, first page", ReadModelLists.OperationPage(new OperationListFilter(null, null, null, null, null, null, null), after: false, offset: false),
                [("@limit", 51L)]),
        };
        var lines = new List<string> { "", "Plans and query times (no HTTP):", "" };
        await using DbConnection connection = provider == "Postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (name, sql, parameters) in queries)
        {
            var plan = await RowsAsync(connection, (provider == "Postgres" ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") + sql, parameters,
                provider == "Postgres" ? 0 : 3);
            var times = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await RowsAsync(connection, sql, parameters, 0);
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            times.Sort();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"- {name}: {times[times.Count / 2]:F2} ms; plan: {string.Join(" / ", plan.Select(p => p.Trim()))}"));
        }
        return lines;
    }

    private static async Task<List<string>> RowsAsync(DbConnection connection, string sql, (string Name, object Value)[] parameters, int column)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture) ?? "");
        }
        return rows;
    }
}
