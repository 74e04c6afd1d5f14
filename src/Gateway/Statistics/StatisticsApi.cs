using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Statistics;

public sealed record CountByKey(string Key, long Count);

public sealed record OperationCount(string Type, string Status, long Count);

/// <summary>The secretariat's yearly figures, from the read models: counts only, never personal data.</summary>
public sealed record YearStatistics(
    int Year,
    IReadOnlyList<OperationCount> Operations,
    IReadOnlyList<CountByKey> ReturneesByDestination,
    IReadOnlyList<CountByKey> ReturneesByParticipant,
    long ForcedOperations,
    long MonitoredForcedOperations,
    double MonitoringCoverage,
    double EscortsPerForcedReturnee,
    long Suspensions,
    long Incidents);

public static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/statistics", "Statistics").MapGet("/", GetAsync).RequireAuthorization(Policies.Secretariat);
        return app;
    }

    private static async Task<Ok<YearStatistics>> GetAsync(GatewayDatabase database, TimeProvider clock, CancellationToken cancellationToken, int? year = null)
    {
        var y = year ?? clock.GetUtcNow().Year;
        if (y is < 2000 or > 2200)
        {
            throw RequestProblemException.BadRequest("year must be between 2000 and 2200.");
        }
        return await database.RunAsync(async connection =>
        {
            var operations = await RowsAsync(connection, "SELECT type, status, COUNT(*) FROM operation_list WHERE year = @year GROUP BY type, status ORDER BY type, status", y,
                r => new OperationCount(r.GetString(0), r.GetString(1), Long(r.GetValue(2))), cancellationToken);
            var byDestination = await RowsAsync(connection,
                "SELECT destination, SUM(returnees) FROM operation_participants WHERE year = @year AND status <> 'Cancelled' GROUP BY destination ORDER BY destination", y,
                r => new CountByKey(r.GetString(0), Long(r.GetValue(1))), cancellationToken);
            var byParticipant = await RowsAsync(connection,
                "SELECT country, SUM(returnees) FROM operation_participants WHERE year = @year AND status <> 'Cancelled' GROUP BY country ORDER BY country", y,
                r => new CountByKey(r.GetString(0), Long(r.GetValue(1))), cancellationToken);
            var totals = (await RowsAsync(connection,
                """
                SELECT COUNT(*), COALESCE(SUM(CASE WHEN monitors > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(escorts), 0), COALESCE(SUM(forced_returnees), 0),
                       COALESCE(SUM(suspensions), 0), COALESCE(SUM(incidents), 0)
                FROM operation_list WHERE year = @year AND type <> 'VoluntaryCharter' AND status NOT IN ('Cancelled', 'Draft')
                """, y,
                r => (Forced: Long(r.GetValue(0)), Monitored: Long(r.GetValue(1)), Escorts: Long(r.GetValue(2)), Returnees: Long(r.GetValue(3)),
                    Suspensions: Long(r.GetValue(4)), Incidents: Long(r.GetValue(5))), cancellationToken))[0];
            return TypedResults.Ok(new YearStatistics(y, operations, byDestination, byParticipant, totals.Forced, totals.Monitored,
                totals.Forced == 0 ? 0 : (double)totals.Monitored / totals.Forced,
                totals.Returnees == 0 ? 0 : (double)totals.Escorts / totals.Returnees,
                totals.Suspensions, totals.Incidents));
        }, cancellationToken);
    }

    private static async Task<List<T>> RowsAsync<T>(DbConnection connection, string sql, int year, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = GatewayDatabase.Command(connection, sql, ("@year", (long)year));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
