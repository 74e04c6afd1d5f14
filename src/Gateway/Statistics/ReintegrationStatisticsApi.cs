using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Reintegration;

namespace ReturnOps.Gateway.Statistics;

/// <summary>
/// Referrals of one owning state to one destination in a year (rule 18), counts and exact euro amounts only. A referral stopped by
/// a withdrawal of consent still counts, with whatever it reached before.
/// </summary>
public sealed record ReintegrationCount(
    string State,
    string Destination,
    long Referrals,
    long Accepted,
    long Stopped,
    long Assisted,
    long AssistanceDeliveries,
    decimal AssistanceEur,
    decimal CashEur,
    decimal InKindEur,
    long FollowUps6Reached,
    long FollowUps12Reached);

/// <summary>A year's reintegration figures: every state's for the secretariat and the admin, the caller's own for a coordinator.</summary>
public sealed record ReintegrationStatistics(int Year, long Referrals, long Accepted, long AssistanceDeliveries, decimal AssistanceEur,
    long FollowUps6Reached, long FollowUps12Reached, IReadOnlyList<ReintegrationCount> ByStateAndDestination);

public static class ReintegrationStatisticsApi
{
    public static IEndpointRouteBuilder MapReintegrationStatisticsApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/statistics", "Statistics").MapGet("/reintegration", GetAsync).RequireAuthorization(Policies.StaffingAndAdmin)
            .WithSummary("A year's reintegration referrals, assistance and follow-ups by state and destination")
            .WithDescription("Secretariat and admin see every state's figures, a coordinator its own state's. Counts and exact euro amounts only " +
                "(cash and in kind); a referral stopped by a withdrawal of consent still counts, with what it reached before.");
        return app;
    }

    private static async Task<Ok<ReintegrationStatistics>> GetAsync(HttpContext http, GatewayDatabase database,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock, CancellationToken cancellationToken, [Range(StatisticsApi.FirstYear, StatisticsApi.LastYear)] int? year = null)
    {
        var y = year ?? clock.GetUtcNow().Year;
        if (y is < StatisticsApi.FirstYear or > StatisticsApi.LastYear)
        {
            throw RequestProblemException.BadRequest("year must be between 2000 and 2200.");
        }
        var caller = http.User.ToCaller();
        // A coordinator sees its own state's figures; the secretariat and the admin (the statistics page's oversight) every state's.
        var owner = caller.Role == Roles.Coordinator ? caller.CountryOf() : null;
        var rows = await database.RunAsync(async connection =>
        {
            await using var command = GatewayDatabase.Command(connection, ReintegrationSchema.Statistics(owner is not null), ("@year", (long)y), ("@owner", owner));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<ReintegrationCount>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new ReintegrationCount(reader.GetString(0), reader.GetString(1), Long(reader, 2), Long(reader, 3), Long(reader, 4), Long(reader, 9),
                    Long(reader, 5), Euros(reader, 6), Euros(reader, 7), Euros(reader, 8), Long(reader, 10), Long(reader, 11)));
            }
            return list;
        }, cancellationToken);
        return TypedResults.Ok(new ReintegrationStatistics(y, rows.Sum(r => r.Referrals), rows.Sum(r => r.Accepted), rows.Sum(r => r.AssistanceDeliveries),
            rows.Sum(r => r.AssistanceEur), rows.Sum(r => r.FollowUps6Reached), rows.Sum(r => r.FollowUps12Reached), rows));
    }

    private static long Long(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>Cents summed as integers in the database, turned into euros only here: exact to the cent.</summary>
    private static decimal Euros(System.Data.Common.DbDataReader reader, int ordinal) => Long(reader, ordinal) / 100m;
}
