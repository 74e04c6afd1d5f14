using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.ReadModels;

namespace ReturnOps.Gateway.Statistics;

public sealed record CountByKey(string Key, long Count);

public sealed record OperationCount(string Type, string Status, long Count);

public sealed record ReturneeCount(string Destination, string Participant, long Returnees);

public sealed record NoShowCount(string Participant, string Reason, long NoShows);

/// <summary>
/// The secretariat's yearly figures, from the read models: counts only, never personal data. <see cref="Returnees"/> counts
/// returnees carried (no-shows excluded); no-shows are counted by the returnee's country and the reason.
/// </summary>
public sealed record YearStatistics(
    int Year,
    IReadOnlyList<OperationCount> Operations,
    IReadOnlyList<ReturneeCount> Returnees,
    IReadOnlyList<CountByKey> ReturneesByDestination,
    IReadOnlyList<CountByKey> ReturneesByParticipant,
    long ForcedOperations,
    long MonitoredForcedOperations,
    double MonitoringCoverage,
    double EscortsPerForcedReturnee,
    long Suspensions,
    long Incidents,
    long NoShows,
    IReadOnlyList<CountByKey> NoShowsByParticipant,
    IReadOnlyList<CountByKey> NoShowsByReason,
    IReadOnlyList<NoShowCount> NoShowsByParticipantAndReason);

public static class StatisticsApi
{
    /// <summary>The years statistics may be asked for: the platform holds none before 2000, and a year past 2200 is a typing error.</summary>
    public const int FirstYear = 2000;

    public const int LastYear = 2200;

    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        // The admin's oversight opens the same statistics page as the secretariat: counts only, no personal data (domain rule 16).
        app.MapApiGroup("/statistics", "Statistics").MapGet("/", GetAsync).RequireAuthorization(Policies.Operators)
            .WithSummary("A year's counts for the secretariat and the admin")
            .WithDescription("Counts only, never personal data: operations by type and status, returnees carried by destination and participant " +
                "(no-shows excluded), monitoring of forced-return operations, escorts per forced returnee, suspensions, incidents, and no-shows by " +
                "state and reason. `year` from 2000 to 2200, this year when absent.");
        return app;
    }

    private static async Task<Ok<YearStatistics>> GetAsync(GatewayDatabase database, [FromKeyedServices(DomainClock.Key)] TimeProvider clock, CancellationToken cancellationToken, [Range(StatisticsApi.FirstYear, StatisticsApi.LastYear)] int? year = null)
    {
        var y = year ?? clock.GetUtcNow().Year;
        if (y is < StatisticsApi.FirstYear or > StatisticsApi.LastYear)
        {
            throw RequestProblemException.BadRequest("year must be between 2000 and 2200.");
        }
        return await database.RunAsync(async connection =>
        {
            var operations = await RowsAsync(connection, ReadModelQueries.OperationsByTypeAndStatus, y,
                r => new OperationCount(r.GetString(0), r.GetString(1), Long(r.GetValue(2))), cancellationToken);
            var returnees = await RowsAsync(connection, ReadModelQueries.ReturneesByDestinationAndParticipant, y,
                r => new ReturneeCount(r.GetString(0), r.GetString(1), Long(r.GetValue(2))), cancellationToken);
            var o = (await RowsAsync(connection, ReadModelQueries.Oversight, y,
                r => (Forced: Long(r.GetValue(0)), Monitored: Long(r.GetValue(1)), Escorts: Long(r.GetValue(2)), Returnees: Long(r.GetValue(3)),
                    Suspensions: Long(r.GetValue(4)), Incidents: Long(r.GetValue(5))), cancellationToken))[0];
            var noShows = await RowsAsync(connection, ReadModelQueries.NoShowsByParticipantAndReason, y,
                r => new NoShowCount(r.GetString(0), r.GetString(1), Long(r.GetValue(2))), cancellationToken);
            return TypedResults.Ok(new YearStatistics(y, operations, returnees,
                Sum(returnees, r => r.Destination, r => r.Returnees), Sum(returnees, r => r.Participant, r => r.Returnees),
                o.Forced, o.Monitored, o.Forced == 0 ? 0 : (double)o.Monitored / o.Forced,
                o.Returnees == 0 ? 0 : (double)o.Escorts / o.Returnees, o.Suspensions, o.Incidents,
                noShows.Sum(n => n.NoShows), Sum(noShows, n => n.Participant, n => n.NoShows), Sum(noShows, n => n.Reason, n => n.NoShows), noShows));
        }, cancellationToken);
    }

    private static List<CountByKey> Sum<T>(List<T> rows, Func<T, string> key, Func<T, long> count) =>
        [.. rows.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CountByKey(g.Key, g.Sum(count)))];

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
