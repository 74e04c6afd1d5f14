using ReturnOps.Grains.Operations;

namespace ReturnOps.TenYears;

/// <summary>
/// <c>GET /statistics?year=</c> for each of the ten years agrees with a SQL sum over the read model and with the data set
/// itself: returnees carried (departed or completed operations) and operations counted by year of departure.
/// </summary>
public static class StatisticsCheck
{
    public static async Task<string> CheckAsync(HttpClient http, BenchGateway gateway, string provider, string connectionString, DataSet data)
    {
        var secretariat = gateway.Role("secretariat");
        long carriedTotal = 0;
        var years = data.Operations.Select(o => o.State.Plan!.Legs[0].Departure.Year).Distinct().Order().ToList();
        foreach (var year in years)
        {
            var answer = await VolumeRun.GetAsync(http, $"/api/v1/statistics?year={year}", secretariat);
            var carried = answer.GetProperty("returnees").EnumerateArray().Sum(r => r.GetProperty("returnees").GetInt64());
            var counted = answer.GetProperty("operations").EnumerateArray().Sum(r => r.GetProperty("count").GetInt64());
            var sql = await VolumeRun.ScalarAsync(provider, connectionString,
                $"SELECT coalesce(sum(returnees - no_shows), 0) FROM operation_participants WHERE year = {year} AND status IN ('Departed', 'Completed')");
            var generated = data.Operations.Where(o => o.State.Plan!.Legs[0].Departure.Year == year && o.State.Status is OperationStatus.Departed or OperationStatus.Completed)
                .Sum(o => (long)o.State.Bookings.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.ReturneeCount));
            var operations = data.Operations.Count(o => o.State.Plan!.Legs[0].Departure.Year == year);
            if (carried != sql || carried != generated || counted != operations)
            {
                throw new InvalidOperationException($"{year}: statistics say {carried} returnees and {counted} operations; SQL sum {sql}, generated {generated} and {operations}.");
            }
            carriedTotal += carried;
        }
        return $"Statistics: for each of {years.Count} years, returnees carried and operations counted equal the SQL sum over operation_participants and the generated data ({carriedTotal:N0} returnees in all).";
    }
}
