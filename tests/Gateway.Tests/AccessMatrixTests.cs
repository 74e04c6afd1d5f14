using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Every role, for its own and another country, against every endpoint: the answer each must get.
/// The organiser is Austria; Croatia books on the operation; Germany does not; Albania is the destination. Two reintegration
/// service providers (rule 18), in Albania and Serbia: Austria refers a case to the Albanian one.
/// </summary>
public sealed class AccessMatrixTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static readonly string[] s_callers = ["atC", "hrC", "deC", "alP", "rsP", "sec", "mon", "fro", "admin", "alPr", "rsPr"];

    private sealed record Case(string Method, string Path, object? Body, string Expected);

    [Fact]
    public async Task Every_role_gets_exactly_its_answer_from_every_endpoint()
    {
        var host = await StartAsync();
        var tokens = new Dictionary<string, string>
        {
            ["atC"] = host.Token("coordinator", "AT"),
            ["hrC"] = host.Token("coordinator", "HR"),
            ["deC"] = host.Token("coordinator", "DE"),
            ["alP"] = host.Token("partner", "AL"),
            ["rsP"] = host.Token("partner", "RS"),
            ["sec"] = host.Token("secretariat"),
            ["mon"] = host.Token("monitor", subject: "monitor-x"),
            ["fro"] = host.Token("fro"),
            ["admin"] = host.Token("admin"),
            ["alPr"] = host.ProviderToken("al-tirana-reintegration"),
            ["rsPr"] = host.ProviderToken("rs-belgrade-reintegration"),
        };
        var now = TimeProvider.System.GetUtcNow();
        var op = await Demo.CreateOperationAsync(host, tokens["atC"], now, ["AL"]);
        var atReturnee = await Demo.CreateReturneeAsync(host, tokens["atC"], "AT-1");
        var atSpare = await Demo.CreateReturneeAsync(host, tokens["atC"], "AT-2");
        var hrReturnee = await Demo.CreateReturneeAsync(host, tokens["hrC"], "HR-1");
        var atBooking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", tokens["atC"], Demo.Booking([atReturnee], 2, 1))).Json.GetProperty("id").GetString();
        await host.PostAsync($"/api/v1/operations/{op}/bookings", tokens["hrC"], Demo.Booking([hrReturnee], 2));
        var readmission = (await host.PostAsync($"/api/v1/returnees/{atReturnee}/readmission-requests", tokens["atC"], new { destination = "AL" }))
            .Json.GetProperty("id").GetString();
        var identification = (await host.PostAsync($"/api/v1/returnees/{atReturnee}/identification-requests", tokens["atC"], new { destination = "AL" }))
            .Json.GetProperty("id").GetString();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var document = new { kind = "Passport", number = "P-1", validFrom = today.AddDays(-1).ToString("O"), validUntil = today.AddYears(2).ToString("O") };
        const string none = "rt-00000000000000000000000000000000";
        var onDay = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var consent = new { givenOn = onDay, scope = "Referral to a reintegration provider in Albania" };
        foreach (var (id, country) in new[] { ("al-tirana-reintegration", "AL"), ("rs-belgrade-reintegration", "RS") })
        {
            await host.SendAsync(HttpMethod.Put, $"/api/v1/reintegration-providers/{id}", tokens["admin"], new { country, name = "Provider " + country });
        }
        var referred = await Demo.CreateReturneeAsync(host, tokens["atC"], "AT-3");
        await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{referred}/reintegration/consent", tokens["atC"], consent);
        var referral = (await host.PostAsync($"/api/v1/returnees/{referred}/reintegration-referrals", tokens["atC"], new { providerId = "al-tirana-reintegration" }))
            .Json.GetProperty("id").GetString();
        var withdrawing = await Demo.CreateReturneeAsync(host, tokens["atC"], "AT-4");
        await host.SendAsync(HttpMethod.Put, $"/api/v1/returnees/{withdrawing}/reintegration/consent", tokens["atC"], consent);

        Case[] cases =
        [
            new("GET", "/api/v1/countries", null, "alPr:403 rsPr:403 *:200"),
            new("PUT", "/api/v1/countries/NG", new { name = "Nigeria", group = "ThirdCountry", airports = new[] { "LOS" } }, "admin:200 *:403"),
            new("GET", "/api/v1/agreements", null, "alPr:403 rsPr:403 *:200"),
            new("PUT", "/api/v1/agreements/AL", new { replyDays = 14, extensionDays = 0, silenceMeansAcceptance = false, transferDays = 90 }, "admin:200 *:403"),
            new("POST", "/api/v1/returnees", Demo.Returnee("NEW-1"), "atC:201 hrC:201 deC:201 *:403"),
            new("POST", "/api/v1/returnees/import", new { csv = "reference,nationality,birthYear,sex\nIMP-1,AL,1990,M\n" }, "atC:201 hrC:201 deC:201 *:403"),
            new("GET", "/api/v1/returnees", null, "atC:200 hrC:200 deC:200 *:403"),
            new("GET", $"/api/v1/returnees/{atReturnee}", null, "atC:200 hrC:404 deC:404 *:403"),
            new("PATCH", $"/api/v1/returnees/{atReturnee}", new { sex = "M" }, "atC:200 hrC:404 deC:404 *:403"),
            new("POST", $"/api/v1/returnees/{atReturnee}/readmission-requests", new { destination = "RS" }, "atC:201 hrC:404 deC:404 *:403"),
            new("DELETE", $"/api/v1/returnees/{atSpare}", null, "atC:204 hrC:404 deC:404 *:403"),
            new("GET", "/api/v1/readmission-requests", null, "atC:200 hrC:200 deC:200 alP:200 rsP:200 *:403"),
            new("GET", $"/api/v1/readmission-requests/{readmission}", null, "atC:200 alP:200 hrC:404 deC:404 rsP:404 *:403"),
            new("POST", $"/api/v1/readmission-requests/{readmission}/reply", new { accepted = true }, "alP:200 rsP:404 *:403"),
            new("GET", "/api/v1/readmission-requests/overdue", null, "sec:200 fro:200 admin:200 *:403"),
            new("POST", $"/api/v1/returnees/{atReturnee}/identification-requests", new { destination = "RS" }, "atC:201 hrC:404 deC:404 *:403"),
            new("GET", "/api/v1/identification-requests", null, "atC:200 hrC:200 deC:200 alP:200 rsP:200 *:403"),
            new("GET", $"/api/v1/identification-requests/{identification}", null, "atC:200 alP:200 hrC:404 deC:404 rsP:404 *:403"),
            new("POST", $"/api/v1/identification-requests/{identification}/confirm", null, "alP:200 rsP:404 *:403"),
            new("POST", $"/api/v1/identification-requests/{identification}/refuse", new { reason = "NotANational", text = "x" }, "alP:409 rsP:404 *:403"),
            new("POST", $"/api/v1/identification-requests/{identification}/document", document, "alP:200 rsP:404 *:403"),
            new("POST", $"/api/v1/identification-requests/{identification}/reissue", null, "atC:200 hrC:404 deC:404 *:403"),
            new("GET", "/api/v1/identification-requests/overdue", null, "sec:200 fro:200 admin:200 *:403"),
            new("GET", "/api/v1/notifications", null, "mon:403 admin:403 *:200"),
            new("GET", "/api/v1/operations", null, "alPr:403 rsPr:403 *:200"),
            new("GET", $"/api/v1/operations/{op}", null, "rsP:404 alPr:403 rsPr:403 *:200"),
            new("POST", "/api/v1/operations", Demo.Operation(now, ["RS"]), "atC:201 hrC:201 deC:201 *:403"),
            new("POST", $"/api/v1/operations/{op}/status", new { to = "Completed" }, "atC:409 *:403"),
            new("POST", $"/api/v1/operations/{op}/bookings", Demo.Booking([none], 2), "atC:422 hrC:422 deC:422 *:403"),
            new("GET", $"/api/v1/operations/{op}/bookings", null, "atC:200 hrC:200 deC:200 *:403"),
            new("GET", "/api/v1/bookings", null, "atC:200 hrC:200 deC:200 *:403"),
            new("DELETE", $"/api/v1/operations/{op}/bookings/bk-unknown", null, "atC:404 hrC:404 deC:404 *:403"),
            new("DELETE", $"/api/v1/operations/{op}/bookings/{atBooking}/returnees/{none}", null, "atC:404 hrC:404 deC:404 *:403"),
            new("PUT", $"/api/v1/operations/{op}/bookings/{atBooking}/staff", Demo.Staff("AT", 2, 1), "atC:200 hrC:404 deC:404 *:403"),
            new("POST", $"/api/v1/operations/{op}/no-shows", new { returneeId = atReturnee, reason = "Absconded" }, "atC:409 hrC:404 deC:404 *:403"),
            new("GET", $"/api/v1/operations/{op}/manifest", null, "atC:200 hrC:200 sec:403 alPr:403 rsPr:403 *:404"),
            new("GET", $"/api/v1/operations/{op}/manifest/paxlst?leg=0&flight=OS1234", null, "atC:409 hrC:403 deC:404 *:403"),
            new("POST", $"/api/v1/operations/{op}/manifest/share", null, "atC:409 *:403"),
            new("POST", $"/api/v1/operations/{op}/clearance", new { cleared = true }, "alP:409 rsP:404 *:403"),
            new("POST", $"/api/v1/operations/{op}/monitors", new { monitor = "monitor-9" }, "sec:200 atC:200 *:403"),
            new("POST", $"/api/v1/operations/{op}/monitor-report", new { summary = "x", issuesFound = false }, "mon:404 *:403"),
            new("POST", $"/api/v1/operations/{op}/incidents", new { category = "complaint", useOfForce = false, description = "d", complaint = true },
                "atC:201 hrC:201 alP:201 deC:404 rsP:404 mon:404 *:403"),
            new("GET", $"/api/v1/operations/{op}/costs", null, "atC:200 sec:200 *:403"),
            new("POST", $"/api/v1/operations/{op}/costs", new { category = "Charter", amount = 1000.50m, description = "charter", from = "VIE", to = "TIA" },
                "atC:201 *:403"),
            new("PUT", $"/api/v1/operations/{op}/costs/cl-unknown", new { category = "Medical", amount = 10m, description = "doctor" }, "atC:404 *:403"),
            new("DELETE", $"/api/v1/operations/{op}/costs/cl-unknown", null, "atC:404 *:403"),
            new("POST", $"/api/v1/operations/{op}/co-financing", new { source = "Frontex", amount = 500m }, "atC:201 *:403"),
            new("PUT", $"/api/v1/operations/{op}/co-financing/cf-unknown", new { source = "Frontex", amount = 1m }, "atC:404 *:403"),
            new("DELETE", $"/api/v1/operations/{op}/co-financing/cf-unknown", null, "atC:404 *:403"),
            // A state without a share has no statement (404, as another state's data); roles outside the cost sharing are refused.
            new("GET", $"/api/v1/operations/{op}/costs/statement", null, "atC:200 hrC:200 sec:200 deC:404 *:403"),
            new("POST", "/api/v1/subscriptions", new { url = "http://127.0.0.1:9/hooks", secret = "a-secret-of-at-least-thirty-two-characters", events = new[] { "*" } },
                "atC:201 hrC:201 deC:201 alP:201 rsP:201 *:403"),
            new("GET", "/api/v1/subscriptions", null, "atC:200 hrC:200 deC:200 alP:200 rsP:200 *:403"),
            new("PUT", "/api/v1/subscriptions/sub_unknown/secret", new { secret = "another-secret-of-at-least-thirty-two-chars" },
                "atC:404 hrC:404 deC:404 alP:404 rsP:404 *:403"),
            new("DELETE", "/api/v1/subscriptions/sub_unknown", null, "atC:404 hrC:404 deC:404 alP:404 rsP:404 *:403"),
            new("GET", "/api/v1/deliveries?status=dead", null, "sec:200 admin:200 *:403"),
            new("POST", "/api/v1/deliveries/no-such-message/replay", null, "sec:404 admin:404 *:403"),
            new("GET", "/api/v1/statistics", null, "sec:200 admin:200 *:403"),
            new("GET", "/api/v1/statistics/reintegration", null, "sec:200 admin:200 atC:200 hrC:200 deC:200 *:403"),
            new("GET", "/api/v1/statistics/returns", null, "sec:200 admin:200 atC:200 hrC:200 deC:200 *:403"),
            new("GET", "/api/v1/statistics/returns?state=AT", null, "sec:200 admin:200 atC:200 *:403"),
            new("GET", "/api/v1/statistics/travel-documents", null, "sec:200 admin:200 atC:200 hrC:200 deC:200 *:403"),
            new("GET", "/api/v1/statistics/travel-documents?state=AT", null, "sec:200 admin:200 atC:200 *:403"),
            new("GET", "/api/v1/reintegration-providers", null, "alPr:403 rsPr:403 *:200"),
            new("PUT", "/api/v1/reintegration-providers/xk-prishtina-reintegration", new { country = "XK", name = "Prishtina" }, "admin:200 *:403"),
            new("GET", $"/api/v1/returnees/{referred}/reintegration", null, "atC:200 hrC:404 deC:404 *:403"),
            new("PUT", $"/api/v1/returnees/{referred}/reintegration/consent", consent, "atC:200 hrC:404 deC:404 *:403"),
            new("POST", $"/api/v1/returnees/{referred}/reintegration-referrals", new { providerId = "al-tirana-reintegration" }, "atC:409 hrC:404 deC:404 *:403"),
            new("POST", $"/api/v1/returnees/{withdrawing}/reintegration/consent/withdrawal", new { withdrawnOn = onDay }, "atC:200 hrC:404 deC:404 *:403"),
            new("GET", "/api/v1/reintegration-referrals", null, "atC:200 hrC:200 deC:200 alPr:200 rsPr:200 *:403"),
            new("GET", $"/api/v1/reintegration-referrals/{referral}", null, "atC:200 alPr:200 hrC:404 deC:404 rsPr:404 *:403"),
            new("POST", $"/api/v1/reintegration-referrals/{referral}/steps", new { step = "Accept", on = onDay }, "alPr:200 rsPr:404 *:403"),
            new("GET", "/api/v1/audit", null, "fro:200 admin:200 *:403"),
            new("GET", "/api/v1/audit/verify", null, "fro:200 admin:200 *:403"),
        ];

        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            var expected = c.Expected.Split(' ').Select(p => p.Split(':')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
            foreach (var caller in s_callers)
            {
                var want = expected.TryGetValue(caller, out var specific) ? specific : expected["*"];
                var answer = await host.SendAsync(new HttpMethod(c.Method), c.Path, tokens[caller], c.Body,
                    contentType: c.Method == "PATCH" ? "application/merge-patch+json" : "application/json");
                if (answer.Code != want)
                {
                    mismatches.Add($"{caller} {c.Method} {c.Path}: expected {want}, got {answer}");
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));

        // Scoping inside the answers: a coordinator lists only its own cases; the organiser sees every booking but only its own returnee ids.
        var hrList = await host.GetAsync("/api/v1/returnees", tokens["hrC"]);
        Assert.DoesNotContain(atReturnee, hrList.Body);
        Assert.Contains(hrReturnee, hrList.Body);
        var organiserBookings = (await host.GetAsync($"/api/v1/operations/{op}/bookings", tokens["atC"])).Json.GetProperty("items");
        Assert.Equal(2, organiserBookings.GetArrayLength());
        Assert.DoesNotContain(hrReturnee, organiserBookings.GetRawText());
        var hrBookings = (await host.GetAsync($"/api/v1/operations/{op}/bookings", tokens["hrC"])).Json.GetProperty("items");
        Assert.Equal("HR", Assert.Single(hrBookings.EnumerateArray()).GetProperty("country").GetString());
        var partnerList = await host.GetAsync("/api/v1/operations", tokens["rsP"]);
        Assert.DoesNotContain(op, partnerList.Body);
        var hrManifest = (await host.GetAsync($"/api/v1/operations/{op}/manifest", tokens["hrC"])).Json.GetProperty("entries");
        Assert.Equal(hrReturnee, Assert.Single(hrManifest.EnumerateArray()).GetProperty("returneeId").GetString());

        // Every denial and every personal-data access is in the log, and the log is intact.
        var audit = await host.GetAsync("/api/v1/audit?limit=1000", tokens["fro"]);
        var entries = audit.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "access.denied" && e.GetProperty("subject").GetString() == "secretariat-x");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "returnee.read" && e.GetProperty("outcome").GetString() == "404"
            && e.GetProperty("country").GetString() == "HR");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "manifest.read" && e.GetProperty("outcome").GetString() == "403");
        var verify = await host.GetAsync("/api/v1/audit/verify", tokens["admin"]);
        Assert.True(verify.Json.GetProperty("valid").GetBoolean(), verify.Body);
        Assert.Equal(JsonValueKind.Null, verify.Json.GetProperty("brokenAtSeq").ValueKind);
    }
}
