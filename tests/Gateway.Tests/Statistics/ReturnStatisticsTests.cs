using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CsvHelper;
using ReturnOps.Grains.Operations;
using ReturnOps.TenYears;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Statistics;

/// <summary>
/// Statistics as the authorities count them (issue 26 §5): persons returned per month by citizenship, destination, type of
/// return and escort, equal to the sums of the stored facts over the ten-year data set; each state's own figures for its
/// coordinator and nobody else's; the CSV read back by a CSV parser; the time to obtain a travel document per destination.
/// </summary>
public sealed class ReturnStatisticsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static readonly string[] s_returnsHeader = ["freq", "geo", "citizen", "c_dest", "rtn_type", "escort", "unit", "TIME_PERIOD", "OBS_VALUE"];

    private sealed record Cell(string Period, string State, string Citizenship, string Destination, string Type, bool Escorted);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Persons_returned_equal_the_sums_of_the_stored_bookings_over_ten_years(string provider)
    {
        var host = await StartAsync(provider);
        var data = DataSet.Build(operations: 150, cases: 1_500);
        await Loader.LoadAsync(provider, host.Storage.ConnectionString, data);
        var secretariat = host.Token("secretariat");
        var expected = Expected(data);
        var years = data.Operations.Select(o => o.State.Plan!.Legs[0].Departure.Year).Distinct().Order().ToList();
        Assert.True(years.Count >= 10, $"the data set spans {years.Count} years");
        long total = 0;

        foreach (var year in years)
        {
            var answer = await host.GetAsync($"/api/v1/statistics/returns?year={year}", secretariat);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{year}: {answer}");
            var served = answer.Json.GetProperty("months").EnumerateArray().ToDictionary(CellOf, m => m.GetProperty("persons").GetInt64());
            var generated = expected.Where(e => e.Key.Period.StartsWith(year.ToString("D4", CultureInfo.InvariantCulture) + "-", StringComparison.Ordinal))
                .ToDictionary(e => e.Key, e => e.Value);
            Assert.Equal(generated.OrderBy(e => e.Key.ToString()), served.OrderBy(e => e.Key.ToString()));
            // The same persons as the yearly statistics count from the participation rows.
            var yearly = await host.GetAsync($"/api/v1/statistics?year={year}", secretariat);
            Assert.Equal(yearly.Json.GetProperty("returnees").EnumerateArray().Sum(r => r.GetProperty("returnees").GetInt64()), answer.Json.GetProperty("persons").GetInt64());
            total += answer.Json.GetProperty("persons").GetInt64();
        }
        Assert.True(total > 1_000, $"{total} persons returned in the data set");

        // One state's year as CSV, read back by a CSV parser: its own cells only, each equal to the data set's.
        var (state, busiest) = expected.GroupBy(e => (e.Key.State, Year: e.Key.Period[..4])).OrderByDescending(g => g.Sum(e => e.Value)).Select(g => g.Key).First();
        var csv = await CsvAsync(host, $"/api/v1/statistics/returns?year={busiest}", host.Token("coordinator", state));
        Assert.Equal(s_returnsHeader, csv.Header);
        Assert.All(csv.Rows, r => Assert.Equal(("M", state, "PER"), (r["freq"], r["geo"], r["unit"])));
        var parsed = csv.Rows.ToDictionary(
            r => new Cell(r["TIME_PERIOD"], r["geo"], r["citizen"], r["c_dest"], r["rtn_type"] == "VOL" ? "Voluntary" : "Enforced", r["escort"] == "ESC"),
            r => long.Parse(r["OBS_VALUE"], CultureInfo.InvariantCulture));
        Assert.Equal(expected.Where(e => e.Key.State == state && e.Key.Period.StartsWith(busiest + "-", StringComparison.Ordinal)).OrderBy(e => e.Key.ToString()),
            parsed.OrderBy(e => e.Key.ToString()));
    }

    [Fact]
    public async Task A_coordinator_reads_only_its_own_state_and_partners_providers_and_monitors_are_refused()
    {
        var host = await StartAsync();
        var data = DataSet.Build(operations: 30, cases: 200);
        await Loader.LoadAsync("Sqlite", host.Storage.ConnectionString, data);
        var year = Expected(data).Keys.GroupBy(k => k.Period[..4]).OrderByDescending(g => g.Count()).First().Key;
        var states = Expected(data).Keys.Where(k => k.Period.StartsWith(year + "-", StringComparison.Ordinal)).Select(k => k.State).Distinct().Order(StringComparer.Ordinal).ToList();
        var all = await host.GetAsync($"/api/v1/statistics/returns?year={year}", host.Token("secretariat"));
        Assert.Equal(states, all.Json.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("state").GetString()!).Distinct().Order(StringComparer.Ordinal));

        foreach (var state in states)
        {
            var own = await host.GetAsync($"/api/v1/statistics/returns?year={year}", host.Token("coordinator", state));
            Assert.True(own.Status == HttpStatusCode.OK, own.ToString());
            Assert.Equal(state, own.Json.GetProperty("state").GetString());
            Assert.All(own.Json.GetProperty("months").EnumerateArray(), m => Assert.Equal(state, m.GetProperty("state").GetString()));
            var named = await host.GetAsync($"/api/v1/statistics/returns?year={year}&state={state}", host.Token("secretariat"));
            Assert.Equal(own.Json.GetProperty("months").ToString(), named.Json.GetProperty("months").ToString());
        }
        var other = states.Count > 1 ? states[1] : "SI";
        foreach (var path in new[] { "returns", "travel-documents" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync($"/api/v1/statistics/{path}?year={year}&state={other}", host.Token("coordinator", states[0]))).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync($"/api/v1/statistics/{path}?year={year}", host.Token("partner", "AL"))).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync($"/api/v1/statistics/{path}?year={year}", host.ProviderToken("al-tirana-reintegration"))).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync($"/api/v1/statistics/{path}?year={year}", host.Token("monitor"))).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync($"/api/v1/statistics/{path}?year={year}", null)).Status);
            foreach (var bad in new[] { "year=1999", "year=abc", "year=2020&state=de", "year=2020&state=DEU" })
            {
                var answer = await host.GetAsync($"/api/v1/statistics/{path}?{bad}", host.Token("secretariat"));
                Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{path}?{bad}: {answer}");
                Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_returnee_who_departed_is_counted_with_its_citizenship_and_a_no_show_is_not(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        var op = await Demo.CreateOperationAsync(host, at, clock.GetUtcNow(), ["AL"]);
        var boarded = await Demo.CreateReturneeAsync(host, at, "AT-EU-1");
        var absconded = await Demo.CreateReturneeAsync(host, hr, "HR-EU-1");
        var atBooking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([boarded], 2, 1))).Json.GetProperty("id").GetString()!;
        var hrBooking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", hr, Demo.Booking([absconded], 2))).Json.GetProperty("id").GetString()!;
        Expect(await host.PostAsync($"/api/v1/operations/{op}/monitors", host.Token("secretariat"), new { monitor = "monitor-1" }), "monitor");
        Expect(await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "BookingClosed" }), "closing");
        Expect(await host.PostAsync($"/api/v1/operations/{op}/manifest/share", at, null), "sharing the manifest");
        Expect(await host.PostAsync($"/api/v1/operations/{op}/clearance", host.Token("partner", "AL"), new { cleared = true }), "clearance");
        await Demo.NameStaffAsync(host, at, op, atBooking, escorts: 2, medical: 1);
        await Demo.NameStaffAsync(host, hr, op, hrBooking, escorts: 2);
        Expect(await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Confirmed" }), "confirming");
        var departure = (await host.GetAsync($"/api/v1/operations/{op}", at)).Json.GetProperty("legs")[0].GetProperty("departure").GetDateTimeOffset().ToUniversalTime();
        var path = $"/api/v1/statistics/returns?year={departure.Year}";
        Assert.Equal(0, (await host.GetAsync(path, host.Token("secretariat"))).Json.GetProperty("persons").GetInt64());

        Expect(await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Departed" }), "departing");
        var departed = await host.GetAsync(path, host.Token("secretariat"));
        Assert.Equal(2, departed.Json.GetProperty("persons").GetInt64());
        Expect(await host.PostAsync($"/api/v1/operations/{op}/no-shows", hr, new { returneeId = absconded, reason = "Absconded" }), "the no-show", HttpStatusCode.Created);
        Expect(await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Completed" }), "completing");

        var answer = await host.GetAsync(path, host.Token("secretariat"));
        var month = Assert.Single(answer.Json.GetProperty("months").EnumerateArray());
        Assert.Equal(new Cell(departure.ToString("yyyy-MM", CultureInfo.InvariantCulture), "AT", "AL", "AL", "Enforced", true), CellOf(month));
        Assert.Equal(1, month.GetProperty("persons").GetInt64());
        Assert.Equal((1L, 1L, 0L, 1L), (answer.Json.GetProperty("persons").GetInt64(), answer.Json.GetProperty("enforced").GetInt64(),
            answer.Json.GetProperty("voluntary").GetInt64(), answer.Json.GetProperty("escorted").GetInt64()));
        Assert.Empty((await host.GetAsync(path, hr)).Json.GetProperty("months").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Time_to_obtain_a_travel_document_is_counted_per_destination_from_the_requests_stored_dates(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        var first = await RequestAsync(host, at, await Demo.CreateReturneeAsync(host, at, "AT-TD-1"), "AL");
        var second = await RequestAsync(host, at, await Demo.CreateReturneeAsync(host, at, "AT-TD-2"), "AL");
        var third = await RequestAsync(host, hr, await Demo.CreateReturneeAsync(host, hr, "HR-TD-1"), "AL");
        clock.Advance(TimeSpan.FromDays(4));
        await IssueAsync(host, clock, first, "AL");
        clock.Advance(TimeSpan.FromDays(6));
        await IssueAsync(host, clock, second, "AL");
        clock.Advance(TimeSpan.FromDays(2).Add(TimeSpan.FromHours(12)));
        await IssueAsync(host, clock, third, "AL");
        var year = clock.GetUtcNow().Year;

        var all = await host.GetAsync($"/api/v1/statistics/travel-documents?year={year}", host.Token("secretariat"));
        Assert.True(all.Status == HttpStatusCode.OK, all.ToString());
        var al = Assert.Single(all.Json.GetProperty("byDestination").EnumerateArray());
        // 4, 10 and 12.5 days.
        Assert.Equal(("AL", 3L, 8.8, 10.0, 12.5), (al.GetProperty("destination").GetString(), al.GetProperty("documents").GetInt64(),
            al.GetProperty("meanDays").GetDouble(), al.GetProperty("medianDays").GetDouble(), al.GetProperty("maxDays").GetDouble()));
        var own = await host.GetAsync($"/api/v1/statistics/travel-documents?year={year}", at);
        var austria = Assert.Single(own.Json.GetProperty("byDestination").EnumerateArray());
        Assert.Equal((2L, 7.0), (austria.GetProperty("documents").GetInt64(), austria.GetProperty("medianDays").GetDouble()));
        Assert.Empty((await host.GetAsync($"/api/v1/statistics/travel-documents?year={year - 1}", at)).Json.GetProperty("byDestination").EnumerateArray());

        var csv = await CsvAsync(host, $"/api/v1/statistics/travel-documents?year={year}", at);
        Assert.Equal(["geo", "c_dest", "TIME_PERIOD", "documents", "mean_days", "median_days", "max_days"], csv.Header);
        var row = Assert.Single(csv.Rows);
        Assert.Equal(("AT", "AL", year.ToString(CultureInfo.InvariantCulture), "2", "7.0", "7.0", "10.0"),
            (row["geo"], row["c_dest"], row["TIME_PERIOD"], row["documents"], row["mean_days"], row["median_days"], row["max_days"]));
    }

    /// <summary>The data set's persons returned per cell, summed from its completed operations' confirmed bookings.</summary>
    private static Dictionary<Cell, long> Expected(DataSet data) =>
        data.Operations.Where(o => o.State.Status == OperationStatus.Completed)
            .SelectMany(o => o.State.Bookings.Where(b => b.Status == BookingStatus.Confirmed).SelectMany(b => b.Travelling.Select(r => new Cell(
                o.State.Plan!.Legs[0].Departure.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture), b.Country, r.Nationality!, r.ReturnTo!,
                r.Forced ? "Enforced" : "Voluntary", r.Forced && (b.Escorts > 0 || o.State.Plan.Type == OperationType.Collecting)))))
            .GroupBy(c => c).ToDictionary(g => g.Key, g => (long)g.Count());

    private static Cell CellOf(JsonElement m) => new(m.GetProperty("period").GetString()!, m.GetProperty("state").GetString()!,
        m.GetProperty("citizenship").GetString()!, m.GetProperty("destination").GetString()!, m.GetProperty("type").GetString()!, m.GetProperty("escorted").GetBoolean());

    /// <summary>The CSV form of <paramref name="path"/>, read back by CsvHelper's reader: its header and its records by column name.</summary>
    private static async Task<(string[] Header, List<Dictionary<string, string>> Rows)> CsvAsync(GatewayHost host, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var answer = await host.SendAsync(request);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("text/csv", answer.ContentHeaders?.ContentType?.MediaType);
        Assert.StartsWith("attachment", answer.ContentHeaders?.ContentDisposition?.ToString() ?? answer.Header("Content-Disposition"), StringComparison.Ordinal);
        Assert.EndsWith("\r\n", answer.Body, StringComparison.Ordinal);
        using var reader = CsvReader.Create(new StringReader(answer.Body));
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            rows.Add(row.ToDictionary().ToDictionary(f => f.Key, f => f.Value ?? ""));
        }
        return ([.. reader.Headers], rows);
    }

    private static async Task<string> RequestAsync(GatewayHost host, string coordinator, string returnee, string destination)
    {
        var sent = await host.PostAsync($"/api/v1/returnees/{returnee}/identification-requests", coordinator, new { destination });
        Assert.True(sent.Status == HttpStatusCode.Created, "identification request: " + sent);
        return sent.Json.GetProperty("id").GetString()!;
    }

    private static async Task IssueAsync(GatewayHost host, TimeProvider clock, string request, string destination)
    {
        var partner = host.Token("partner", destination);
        Expect(await host.PostAsync($"/api/v1/identification-requests/{request}/confirm", partner, new { }), "confirming identity");
        var today = clock.GetUtcNow();
        Expect(await host.PostAsync($"/api/v1/identification-requests/{request}/document", partner, new
        {
            kind = "EmergencyTravelDocument",
            number = "ETD-" + request[^6..],
            validFrom = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            validUntil = today.AddMonths(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }), "recording the document");
    }

    private static void Expect(Answer answer, string step, HttpStatusCode status = HttpStatusCode.OK) =>
        Assert.True(answer.Status == status, $"{step}: expected {(int)status}, got {answer}");
}
