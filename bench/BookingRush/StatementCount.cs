using System.Globalization;
using Npgsql;
using ReturnOps.TestSupport;

namespace ReturnOps.BookingRush;

/// <summary>
/// Where the database's share of a cell goes (<c>--statements</c>): pg_stat_statements, reset before the cell and read after
/// it, as statements and execution time per booking request. Every database of the server counts (a system's own and the
/// audit's), so a cell is read alone: nothing else runs on the server meanwhile.
/// </summary>
internal static class StatementCount
{
    public static async Task ResetAsync(PostgresServer server)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Statements per request in all, and the ones called most, with their mean time.</summary>
    public static async Task ReportAsync(PostgresServer server, Report report, string cell, int requests)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        // Our own reading and the reset are not the system's work.
        await using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, rows, regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat_statements%'
            ORDER BY calls DESC
            """, connection);
        var rows = new List<(long Calls, double Ms, long Rows, string Query)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetDouble(1), reader.GetInt64(2), reader.GetString(3)));
            }
        }
        var per = Math.Max(1, requests);
        var calls = rows.Sum(r => r.Calls);
        var ms = rows.Sum(r => r.Ms);
        report.Line($"Statements in {cell}: {Per(calls, per)} per request ({calls:N0} for {requests:N0} requests), " +
            $"{(ms / per).ToString("N2", CultureInfo.InvariantCulture)} ms of execution per request.");
        report.Line();
        report.Line("| calls / request | rows / call | mean ms | statement |");
        report.Line("|---:|---:|---:|---|");
        foreach (var row in rows.Take(14))
        {
            var text = row.Query.Length > 110 ? row.Query[..110] + "…" : row.Query;
            report.Line($"| {Per(row.Calls, per)} | {(row.Calls == 0 ? 0 : (double)row.Rows / row.Calls).ToString("N1", CultureInfo.InvariantCulture)} | " +
                $"{(row.Calls == 0 ? 0 : row.Ms / row.Calls).ToString("N3", CultureInfo.InvariantCulture)} | `{text.Replace("|", "\\|", StringComparison.Ordinal)}` |");
        }
        report.Line();
    }

    private static string Per(long count, int requests) => ((double)count / requests).ToString("N2", CultureInfo.InvariantCulture);
}
