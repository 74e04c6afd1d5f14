using System.Net;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Rule 22 through the gateway: who may place, read and lift a legal hold (the owning state's coordinators and courts, the
/// fundamental-rights officer), that a court's token opens nothing else, that a hold frees the seat at once and blocks the
/// person, and that a destination learns only that the seat is free.
/// </summary>
public sealed class LegalHoldsApiTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static readonly object s_rule39 = new { source = "EctHrRule39", reference = "ECHR-R39-4711/26", orderedOn = "2024-01-15" };

    [Fact]
    public async Task Only_the_owning_states_coordinators_and_courts_and_the_fro_act_on_holds()
    {
        var host = await StartAsync();
        var tokens = new Dictionary<string, string>
        {
            ["atC"] = host.Token("coordinator", "AT"),
            ["hrC"] = host.Token("coordinator", "HR"),
            ["atCt"] = host.Token("court", "AT"),
            ["hrCt"] = host.Token("court", "HR"),
            ["alP"] = host.Token("partner", "AL"),
            ["sec"] = host.Token("secretariat"),
            ["mon"] = host.Token("monitor", subject: "monitor-x"),
            ["fro"] = host.Token("fro"),
            ["admin"] = host.Token("admin"),
            ["alPr"] = host.ProviderToken("al-tirana-reintegration"),
        };
        var returnee = await Demo.CreateReturneeAsync(host, tokens["atC"], "AT-1");
        var placed = await host.PostAsync($"/api/v1/returnees/{returnee}/legal-holds", tokens["atCt"], s_rule39);
        Assert.True(placed.Status == HttpStatusCode.Created, placed.ToString());
        var hold = placed.Json.GetProperty("id").GetString()!;
        var holds = $"/api/v1/returnees/{returnee}/legal-holds";
        (string Method, string Path, object? Body, string Expected)[] cases =
        [
            ("GET", holds, null, "atC:200 atCt:200 fro:200 hrC:404 hrCt:404 *:403"),
            ("POST", holds, s_rule39, "atC:201 atCt:201 fro:201 hrC:404 hrCt:404 *:403"),
            ("POST", $"{holds}/lh-unknown/lift", new { reason = "Order lifted" }, "atC:404 atCt:404 fro:404 hrC:404 hrCt:404 *:403"),
            ("GET", "/api/v1/returnees/rt-00000000000000000000000000000000/legal-holds", null, "atC:404 atCt:404 fro:404 hrC:404 hrCt:404 *:403"),
        ];
        var mismatches = new List<string>();
        foreach (var (method, path, body, expected) in cases)
        {
            var want = expected.Split(' ').Select(p => p.Split(':')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (caller, token) in tokens)
            {
                var answer = await host.SendAsync(new HttpMethod(method), path, token, body);
                if (answer.Code != (want.TryGetValue(caller, out var specific) ? specific : want["*"]))
                {
                    mismatches.Add($"{caller} {method} {path}: got {answer}");
                }
            }
        }

        // A court's token opens nothing but legal holds: every other operation of the contract refuses it before looking.
        var document = JsonDocument.Parse((await host.GetAsync("/openapi/v1.json", null)).Body).RootElement;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => !p.Name.Contains("/legal-holds", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("security", out var s) && s.GetRawText().Contains("bearer", StringComparison.Ordinal)))
            {
                var concrete = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", "x-1");
                var answer = await host.SendAsync(new HttpMethod(operation.Name.ToUpperInvariant()), concrete, tokens["atCt"], operation.Name is "get" or "delete" ? null : new { });
                if (answer.Code != 403)
                {
                    mismatches.Add($"court {operation.Name} {path.Name}: got {answer.Code}");
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));

        // Lifting records who and why; every act is in the audit chain, which stays intact.
        var lifted = await host.PostAsync($"{holds}/{hold}/lift", tokens["fro"], new { reason = "The Court lifted the interim measure." });
        Assert.Equal(HttpStatusCode.OK, lifted.Status);
        Assert.Equal("fro", lifted.Json.GetProperty("lifted").GetProperty("by").GetProperty("role").GetString());
        Assert.Equal("The Court lifted the interim measure.", lifted.Json.GetProperty("lifted").GetProperty("reason").GetString());
        Assert.Equal(409, (await host.PostAsync($"{holds}/{hold}/lift", tokens["atC"], new { reason = "again" })).Code);
        var audit = (await host.GetAsync("/api/v1/audit?limit=1000", tokens["fro"])).Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "legal-hold.place" && e.GetProperty("role").GetString() == "court"
            && e.GetProperty("country").GetString() == "AT" && e.GetProperty("outcome").GetString() == "201");
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "legal-hold.lift" && e.GetProperty("role").GetString() == "fro"
            && e.GetProperty("outcome").GetString() == "200");
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "legal-hold.list" && e.GetProperty("outcome").GetString() == "404");
        Assert.True((await host.GetAsync("/api/v1/audit/verify", tokens["admin"])).Json.GetProperty("valid").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_hold_frees_the_seat_at_once_and_the_destination_learns_only_that(string provider)
    {
        var host = await StartAsync(provider);
        var organiser = host.Token("coordinator", "AT");
        var albania = host.Token("partner", "AL");
        var now = TimeProvider.System.GetUtcNow();
        var operation = await Demo.CreateOperationAsync(host, organiser, now, ["AL"]);
        var held = await Demo.CreateReturneeAsync(host, organiser, "AT-HELD");
        var other = await Demo.CreateReturneeAsync(host, organiser, "AT-OTHER");
        var booking = await host.PostAsync($"/api/v1/operations/{operation}/bookings", organiser, Demo.Booking([held, other], 4, 1));
        Assert.Equal(HttpStatusCode.Created, booking.Status);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/operations/{operation}/status", organiser, new { to = "BookingClosed" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/operations/{operation}/manifest/share", organiser, null)).Status);

        var placed = await host.PostAsync($"/api/v1/returnees/{held}/legal-holds", host.Token("court", "AT"), s_rule39);

        Assert.Equal(HttpStatusCode.Created, placed.Status);
        var bookings = (await host.GetAsync($"/api/v1/operations/{operation}/bookings", organiser)).Json.GetProperty("items");
        Assert.Equal([held], bookings[0].GetProperty("suspendedReturnees").EnumerateArray().Select(r => r.GetString()));
        var manifest = await host.GetAsync($"/api/v1/operations/{operation}/manifest", albania);
        Assert.Equal([other], manifest.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("returneeId").GetString()));
        await Eventually.True(async () => (await host.GetAsync("/api/v1/notifications", organiser)).Body.Contains("legal-hold", StringComparison.Ordinal),
            "the organiser's notice naming the rule");
        foreach (var seen in new[] { await host.GetAsync("/api/v1/notifications", albania), await host.GetAsync($"/api/v1/operations/{operation}", albania), manifest })
        {
            Assert.DoesNotContain("legal-hold", seen.Body, StringComparison.Ordinal);
            // The reference's own letters: its digits alone turn up in ids and timestamps now and then.
            Assert.DoesNotContain("ECHR-R39", seen.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("EctHr", seen.Body, StringComparison.Ordinal);
        }

        // Blocked until lifted: rebooking is refused with the rule, and a bad measure is refused and changes nothing.
        var rebooked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", organiser, Demo.Booking([held], 2));
        Assert.Contains(rebooked.Code, new[] { 409, 422 });
        var future = await host.PostAsync($"/api/v1/returnees/{held}/legal-holds", organiser,
            new { source = "NationalCourt", reference = "VG-1", orderedOn = "2999-01-01" });
        Assert.Equal(422, future.Code);
        Assert.Contains("validation", future.Body, StringComparison.Ordinal);
        Assert.Equal(400, (await host.PostAsync($"/api/v1/returnees/{held}/legal-holds", organiser, new { source = "Rumour", reference = "x", orderedOn = "2024-01-01" })).Code);
        Assert.Equal(1, (await host.GetAsync($"/api/v1/returnees/{held}/legal-holds", organiser)).Json.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_hold_placed_through_one_gateway_blocks_a_booking_through_the_other()
    {
        await using var cluster = await ClusterReplicas.CreateAsync(Postgres.GetAsync);
        await cluster.StartSiloAsync();
        var first = await cluster.StartGatewayAsync();
        var second = await cluster.StartGatewayAsync();
        var coordinator = first.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(first, coordinator, TimeProvider.System.GetUtcNow(), ["AL"]);
        var held = await Demo.CreateReturneeAsync(first, coordinator, "AT-HELD");

        var placed = await first.PostAsync($"/api/v1/returnees/{held}/legal-holds", first.Token("court", "AT"), s_rule39);
        var refused = await second.PostAsync($"/api/v1/operations/{operation}/bookings", second.Token("coordinator", "AT"), Demo.Booking([held], 2));

        Assert.Equal(HttpStatusCode.Created, placed.Status);
        Assert.Equal(422, refused.Code);
        Assert.Contains("legal-hold", refused.Body, StringComparison.Ordinal);
        var hold = placed.Json.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsync($"/api/v1/returnees/{held}/legal-holds/{hold}/lift", second.Token("fro"),
            new { reason = "The Court lifted the interim measure." })).Status);
        Assert.Equal(HttpStatusCode.Created,
            (await first.PostAsync($"/api/v1/operations/{operation}/bookings", coordinator, Demo.Booking([held], 2))).Status);
    }
}
