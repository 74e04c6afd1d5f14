using System.Net;
using System.Net.Http.Headers;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Rule 19 through HTTP: the organiser's cost record, its refusals, and the statement per state as JSON and CSV.</summary>
public sealed class CostSharingTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static void Expect(HttpStatusCode status, Answer answer, string step) =>
        Assert.True(answer.Status == status, $"{step}: expected {(int)status}, got {answer}");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_organiser_records_costs_and_each_state_reads_its_share_to_the_cent(string provider)
    {
        var host = await StartAsync(provider);
        var (op, at, hr) = await ClosedOperationAsync(host);
        var costs = $"/api/v1/operations/{op}/costs";

        Expect(HttpStatusCode.Created, await host.PostAsync(costs, at,
            new { category = "Charter", amount = 45_000.00m, description = "A320, \"VIE-TIA\", one way", from = "VIE", to = "TIA" }), "charter");
        var key = "staff-travel-1";
        var staff = new { category = "StaffTravel", amount = 3_210.55m, description = "=per diems" };
        Expect(HttpStatusCode.Created, await host.PostAsync(costs, at, staff, idempotencyKey: key), "staff travel");
        var replay = await host.PostAsync(costs, at, staff, idempotencyKey: key);
        Expect(HttpStatusCode.Created, replay, "the same request again");
        var recorded = await host.PostAsync($"/api/v1/operations/{op}/co-financing", at, new { source = "Frontex", amount = 30_000m, description = "Reg. 2019/1896 Art 50" });
        Expect(HttpStatusCode.Created, recorded, "co-financing");
        Assert.Equal(2, recorded.Json.GetProperty("costs").GetArrayLength());
        Assert.Equal(18_210.55m, recorded.Json.GetProperty("netCost").GetDecimal());

        // AT holds 4 seats, HR 3: 1,821,055 cents × 4/7 and × 3/7 leave one cent, which goes to the larger remainder (AT).
        var all = await host.GetAsync($"{costs}/statement", host.Token("secretariat"));
        Expect(HttpStatusCode.OK, all, "the secretariat's statement");
        Assert.Equal([("AT", 4, 10_406.03m), ("HR", 3, 7_804.52m)],
            all.Json.GetProperty("shares").EnumerateArray().Select(s => (s.GetProperty("country").GetString(), s.GetProperty("seats").GetInt32(), s.GetProperty("share").GetDecimal())));
        Assert.Equal("HeldAfterBookingClosed", all.Json.GetProperty("seatBasis").GetString());
        var croatian = await host.GetAsync($"{costs}/statement", hr);
        Assert.Equal("HR", Assert.Single(croatian.Json.GetProperty("shares").EnumerateArray()).GetProperty("country").GetString());
        Expect(HttpStatusCode.NotFound, await host.GetAsync($"{costs}/statement?country=AT", hr), "another state's statement");
        Expect(HttpStatusCode.NotFound, await host.GetAsync($"{costs}/statement", host.Token("coordinator", "DE")), "a state without a share");
        Expect(HttpStatusCode.Forbidden, await host.GetAsync(costs, hr), "the cost record for a participant");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{costs}/statement");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hr);
        request.Headers.Accept.ParseAdd("text/csv");
        var csv = await host.SendAsync(request);
        Expect(HttpStatusCode.OK, csv, "the statement as CSV");
        Assert.Equal("text/csv", csv.ContentHeaders?.ContentType?.MediaType);
        var lines = csv.Body.Split("\r\n");
        Assert.Equal("operation,record,id,category,description,from,to,country,seats,amountEur", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"{op},cost,", StringComparison.Ordinal) && l.EndsWith(",Charter,\"A320, \"\"VIE-TIA\"\", one way\",VIE,TIA,,,45000.00", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(",StaffTravel,'=per diems,,,,,3210.55", StringComparison.Ordinal));
        Assert.Contains($"{op},net-cost,,,provisional,,,,7,18210.55", lines);
        Assert.Contains($"{op},share,,,,,,HR,3,7804.52", lines);
        Assert.Equal("", lines[^1]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Bad_amounts_stale_versions_and_co_financing_beyond_costs_are_refused_and_change_nothing(string provider)
    {
        var host = await StartAsync(provider);
        var (op, at, _) = await ClosedOperationAsync(host);
        var costs = $"/api/v1/operations/{op}/costs";
        var first = await host.PostAsync(costs, at, new { category = "Medical", amount = 800m, description = "Doctor and nurse" });
        Expect(HttpStatusCode.Created, first, "a medical line");
        var line = first.Json.GetProperty("costs")[0].GetProperty("id").GetString()!;
        var etag = (await host.GetAsync(costs, at)).Header("ETag");

        (object Body, int Status, string? Rule)[] refused =
        [
            (new { category = "Medical", amount = 10.001m, description = "x" }, 422, "validation"),
            (new { category = "Medical", amount = -1m, description = "x" }, 422, "validation"),
            (new { category = "Medical", amount = 0m, description = "x" }, 422, "validation"),
            (new { category = "Medical", amount = 100_000_000.01m, description = "x" }, 422, "validation"),
            (new { category = "Charter", amount = 10m, description = "no airports" }, 422, "validation"),
            ("{\"category\":\"Medical\",\"amount\":1e40,\"description\":\"x\"}", 400, null),
            ("{\"category\":\"Medical\",\"amount\":\"12.00\",\"description\":\"x\"}", 400, null),
            (new { category = "Catering", amount = 10m, description = "x" }, 400, null),
        ];
        foreach (var (body, status, rule) in refused)
        {
            var answer = await host.PostAsync(costs, at, body);
            Assert.True(answer.Code == status, $"{body}: expected {status}, got {answer}");
            Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
            if (rule is not null)
            {
                Assert.Equal(rule, answer.Json.GetProperty("rule").GetString());
            }
        }
        var beyond = await host.PostAsync($"/api/v1/operations/{op}/co-financing", at, new { source = "Frontex", amount = 800.01m });
        Assert.Equal((422, "co-financing-beyond-costs"), (beyond.Code, beyond.Json.GetProperty("rule").GetString()));
        var stale = await host.SendAsync(HttpMethod.Put, $"{costs}/{line}", at, new { category = "Medical", amount = 900m, description = "Doctor" }, ifMatch: "\"999\"");
        Expect(HttpStatusCode.PreconditionFailed, stale, "a stale If-Match");
        Assert.Equal(etag, (await host.GetAsync(costs, at)).Header("ETag"));

        var corrected = await host.SendAsync(HttpMethod.Put, $"{costs}/{line}", at, new { category = "Medical", amount = 900m, description = "Doctor" }, ifMatch: etag);
        Expect(HttpStatusCode.OK, corrected, "a correction with the current ETag");
        Assert.Equal(900m, corrected.Json.GetProperty("totalCosts").GetDecimal());
        Assert.NotEqual(etag, corrected.Header("ETag"));
    }

    [Fact]
    public async Task After_the_operation_ends_the_statement_is_final_and_costs_are_refused_with_409()
    {
        var host = await StartAsync();
        var (op, at, _) = await ClosedOperationAsync(host);
        var costs = $"/api/v1/operations/{op}/costs";
        Expect(HttpStatusCode.Created, await host.PostAsync(costs, at, new { category = "Charter", amount = 12_000m, description = "Deposit", from = "VIE", to = "TIA" }), "charter");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Cancelled", reason = "aircraft unavailable" }), "cancelling");

        var late = await host.PostAsync(costs, at, new { category = "Other", amount = 10m, description = "Late invoice" });

        Assert.Equal((409, "costs-final"), (late.Code, late.Json.GetProperty("rule").GetString()));
        var statement = await host.GetAsync($"{costs}/statement", host.Token("secretariat"));
        Assert.True(statement.Json.GetProperty("final").GetBoolean());
        Assert.Equal(12_000m, statement.Json.GetProperty("shares").EnumerateArray().Sum(s => s.GetProperty("share").GetDecimal()));
    }

    /// <summary>Issue 23, defect 7: NUL, U+001F and U+200B before a formula were stored and exported as they came.</summary>
    [Fact]
    public async Task Control_and_invisible_characters_in_cost_texts_are_422_and_change_nothing()
    {
        var host = await StartAsync();
        var (op, at, _) = await ClosedOperationAsync(host);
        var before = await DomainRows.SnapshotAsync(host);

        foreach (var (path, body) in new (string, object)[]
        {
            ("costs", new { category = "Other", amount = 10m, description = "\u0000=1+1" }),
            ("costs", new { category = "Other", amount = 10m, description = "fuel\u001F=1+1" }),
            ("costs", new { category = "Other", amount = 10m, description = "\u200B=1+1" }),
            ("co-financing", new { source = "\u200BFrontex", amount = 1m }),
            ("co-financing", new { source = "Frontex", amount = 1m, description = "\u202E=1+1" }),
        })
        {
            var answer = await host.PostAsync($"/api/v1/operations/{op}/{path}", at, body);
            Assert.True(answer.Status == HttpStatusCode.UnprocessableEntity, answer.ToString());
            Assert.Equal("validation", answer.Json.GetProperty("rule").GetString());
        }
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
    }

    /// <summary>Issue 23, defect 7: a spreadsheet of a <c>;</c> locale starts a cell after each <c>;</c> of a description.</summary>
    [Fact]
    public async Task A_formula_wherever_a_spreadsheet_may_start_a_cell_is_neutralised_in_the_statement()
    {
        var host = await StartAsync();
        var (op, at, _) = await ClosedOperationAsync(host);
        Expect(HttpStatusCode.Created, await host.PostAsync($"/api/v1/operations/{op}/costs", at,
            new { category = "Other", amount = 10m, description = "fuel;=1+1; -2;@SUM(A1)" }), "a description with formulas after ;");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/operations/{op}/costs/statement");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", at);
        request.Headers.Accept.ParseAdd("text/csv");

        var csv = await host.SendAsync(request);

        Assert.Contains(csv.Body.Split("\r\n"), l => l.EndsWith(",Other,fuel;'=1+1;' -2;'@SUM(A1),,,,,10.00", StringComparison.Ordinal));
    }

    /// <summary>Texts stored before control and format characters were refused still do not hide a formula from the export.</summary>
    [Fact]
    public void A_stored_text_with_invisible_characters_before_a_formula_is_neutralised()
    {
        var line = new ReturnOps.Grains.Costs.CostLine("c1", ReturnOps.Grains.Costs.CostCategory.Other, 1m, "\u0000=1+1;\u200B=2+2;\u001F-3", null, null, DateTimeOffset.UnixEpoch);
        var statement = new ReturnOps.Grains.Costs.CostStatement("op", "AT", ReturnOps.Grains.Operations.OperationStatus.Completed, true, "EUR",
            ReturnOps.Grains.Costs.SeatBasis.HeldAfterBookingClosed, 0, 1m, 0m, 1m, [line], [], [], 1);

        var csv = ReturnOps.Gateway.Costs.CostStatementCsv.Write(statement);

        Assert.Contains(",Other,'\u0000=1+1;'\u200B=2+2;'\u001F-3,", csv);
    }

    /// <summary>Issue 23, defect 8: a number with more digits than a decimal keeps was rounded to whole cents and stored.</summary>
    [Theory]
    [InlineData("2.0099999999999999999999999999999")]
    [InlineData("2.0100000000000000000000000000001")]
    [InlineData("1e-40")]
    [InlineData("2.001")]
    public async Task An_amount_not_exactly_in_cents_is_422_before_any_rounding(string amount)
    {
        var host = await StartAsync();
        var (op, at, _) = await ClosedOperationAsync(host);
        var before = await DomainRows.SnapshotAsync(host);

        var cost = await host.PostAsync($"/api/v1/operations/{op}/costs", at, $"{{\"category\":\"Other\",\"amount\":{amount},\"description\":\"x\"}}");
        var coFinancing = await host.PostAsync($"/api/v1/operations/{op}/co-financing", at, $"{{\"source\":\"Frontex\",\"amount\":{amount}}}");

        foreach (var answer in new[] { cost, coFinancing })
        {
            Assert.True(answer.Status == HttpStatusCode.UnprocessableEntity, answer.ToString());
            Assert.Equal("validation", answer.Json.GetProperty("rule").GetString());
        }
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
        Expect(HttpStatusCode.Created, await host.PostAsync($"/api/v1/operations/{op}/costs", at,
            "{\"category\":\"Other\",\"amount\":2.0100000,\"description\":\"trailing zeros are exact\"}"), "2.0100000");
        Expect(HttpStatusCode.Created, await host.PostAsync($"/api/v1/operations/{op}/costs", at,
            "{\"category\":\"Other\",\"amount\":201e-2,\"description\":\"an exponent is exact\"}"), "201e-2");
    }

    /// <summary>Austria organises (4 seats: a returnee, 2 escorts, a doctor), Croatia books 3; booking is closed.</summary>
    private static async Task<(string Op, string At, string Hr)> ClosedOperationAsync(GatewayHost host)
    {
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        var op = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        Expect(HttpStatusCode.Created, await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([await Demo.CreateReturneeAsync(host, at, "AT-C-1")], 2, 1)), "AT books");
        Expect(HttpStatusCode.Created, await host.PostAsync($"/api/v1/operations/{op}/bookings", hr, Demo.Booking([await Demo.CreateReturneeAsync(host, hr, "HR-C-1")], 2)), "HR books");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "BookingClosed" }), "closing");
        return (op, at, hr);
    }
}
