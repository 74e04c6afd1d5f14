using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Statistics;

/// <summary>
/// Statistics as the authorities count them (issue 26 §5): persons returned per month by citizenship, destination, type of
/// return and escort, and the time to obtain a travel document per destination. JSON, or CSV on <c>Accept: text/csv</c>. The
/// secretariat and the admin read every state's (or one state's); a coordinator only its own state's. Counts only.
/// </summary>
public static class ReturnStatisticsApi
{
    public static IEndpointRouteBuilder MapReturnStatisticsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/statistics", "Statistics");
        group.MapGet("/returns", ReturnsAsync).RequireAuthorization(Policies.StaffingAndAdmin)
            .WithSummary("A year's persons returned per month by citizenship, destination, type of return and escort (Eurostat's layout)")
            .WithDescription("JSON, or CSV with `Accept: text/csv` in the long layout of Eurostat's SDMX-CSV downloads (migr_eirt_vol, migr_eirt_des). " +
                "A coordinator reads its own state's figures; naming another state is 403.")
            .ProducesProblems(StatusCodes.Status403Forbidden).ProducesCsvAlternative();
        group.MapGet("/travel-documents", TravelDocumentsAsync).RequireAuthorization(Policies.StaffingAndAdmin)
            .WithSummary("Days from identification request to recorded travel document per destination, for the documents of a year")
            .WithDescription("JSON, or CSV with `Accept: text/csv`. A coordinator reads its own state's requests; naming another state is 403.")
            .ProducesProblems(StatusCodes.Status403Forbidden).ProducesCsvAlternative();
        return app;
    }

    private static async Task<Results<Ok<ReturnStatistics>, ContentHttpResult>> ReturnsAsync(HttpContext http, GatewayDatabase database,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock, CancellationToken cancellationToken, [Range(StatisticsApi.FirstYear, StatisticsApi.LastYear)] int? year = null,
        [Description("The secretariat and the admin: one state's figures instead of all; a coordinator may name only its own.")] [MaxLength(2)] string? state = null)
    {
        var y = Year(year, clock);
        var owner = Scope(http, state);
        var months = await database.RunAsync(connection => RowsAsync(connection, ReturnCounts.ByMonth(owner is not null),
            r => new ReturnCount(
                string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{Long(r, 0):D2}"), r.GetString(1), r.GetString(2), r.GetString(3),
                Long(r, 4) == 1 ? ReturnTypes.Enforced : ReturnTypes.Voluntary, Long(r, 5) == 1, Long(r, 6)),
            cancellationToken, ("@year", (long)y), ("@owner", owner)), cancellationToken);
        var statistics = new ReturnStatistics(y, owner, months.Sum(m => m.Persons), months.Where(m => m.Type == ReturnTypes.Enforced).Sum(m => m.Persons),
            months.Where(m => m.Type == ReturnTypes.Voluntary).Sum(m => m.Persons), months.Where(m => m.Escorted).Sum(m => m.Persons), months);
        return ApiConventions.WantsCsv(http.Request)
            ? Csv(http, $"returns-{owner ?? "all"}-{y}.csv", ReturnStatisticsCsv.Write(statistics))
            : TypedResults.Ok(statistics);
    }

    private static async Task<Results<Ok<TravelDocumentStatistics>, ContentHttpResult>> TravelDocumentsAsync(HttpContext http, GatewayDatabase database,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock, CancellationToken cancellationToken, [Range(StatisticsApi.FirstYear, StatisticsApi.LastYear)] int? year = null,
        [Description("The secretariat and the admin: one state's requests instead of all; a coordinator may name only its own.")] [MaxLength(2)] string? state = null)
    {
        var y = Year(year, clock);
        var owner = Scope(http, state);
        var from = new DateTimeOffset(y, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = await database.RunAsync(connection => RowsAsync(connection, IdentificationSchema.TimesToDocument(owner is not null),
            r => (Destination: r.GetString(0), Days: Long(r, 1) / (double)TimeSpan.MillisecondsPerDay),
            cancellationToken, ("@from_ms", from.ToUnixTimeMilliseconds()), ("@to_ms", from.AddYears(1).ToUnixTimeMilliseconds()), ("@owner", owner)), cancellationToken);
        var byDestination = times.GroupBy(t => t.Destination, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Summary(g.Key, [.. g.Select(t => t.Days).Order()])).ToList();
        var statistics = new TravelDocumentStatistics(y, owner, byDestination);
        return ApiConventions.WantsCsv(http.Request)
            ? Csv(http, $"travel-document-times-{owner ?? "all"}-{y}.csv", ReturnStatisticsCsv.Write(statistics))
            : TypedResults.Ok(statistics);
    }

    /// <summary>The figures of one destination; <paramref name="days"/> is sorted. Rounded to a tenth of a day, as the CSV writes them.</summary>
    private static TravelDocumentTime Summary(string destination, double[] days)
    {
        var middle = days.Length / 2;
        var median = days.Length % 2 == 1 ? days[middle] : (days[middle - 1] + days[middle]) / 2;
        return new TravelDocumentTime(destination, days.Length, Round(days.Average()), Round(median), Round(days[^1]));
    }

    private static double Round(double days) => Math.Round(days, 1, MidpointRounding.AwayFromZero);

    private static int Year(int? year, TimeProvider clock)
    {
        var y = year ?? clock.GetUtcNow().Year;
        return y is < 2000 or > 2200 ? throw RequestProblemException.BadRequest("year must be between 2000 and 2200.") : y;
    }

    /// <summary>The state whose figures the caller reads: a coordinator's own (another is 403), or the one named, or all (null).</summary>
    private static string? Scope(HttpContext http, string? state)
    {
        var named = state is { Length: > 0 } ? ApiConventions.CountryCode(state, "state") : null;
        var caller = http.User.ToCaller();
        if (caller.Role != Roles.Coordinator)
        {
            return named;
        }
        var own = caller.CountryOf();
        return named is null || named == own ? own : throw new AccessDeniedException("A coordinator reads its own state's statistics only.");
    }

    private static ContentHttpResult Csv(HttpContext http, string file, string csv)
    {
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = file }.ToString();
        return TypedResults.Text(csv, ReturnStatisticsCsv.ContentType, Encoding.UTF8);
    }

    private static async Task<List<T>> RowsAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = GatewayDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
