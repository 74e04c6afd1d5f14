using System.Globalization;
using System.Net;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Rules 17 and 20 through the API: the owning state sends an identification request, only the destination answers it,
/// the document it issues lands on the case, and the secretariat sees the overdue ones as counts.
/// </summary>
public sealed class IdentificationApiTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static string Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string> SendAsync(GatewayHost host, string token, string returnee, string destination)
    {
        var answer = await host.PostAsync($"/api/v1/returnees/{returnee}/identification-requests", token, new { destination });
        Assert.True(answer.Status == HttpStatusCode.Created, "identification request: " + answer);
        return answer.Json.GetProperty("id").GetString()!;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Destination_confirms_identity_and_issues_a_document_that_lands_on_the_case(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var at = host.Token("coordinator", "AT");
        var al = host.Token("partner", "AL");
        var rs = host.Token("partner", "RS");
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-ID-1");
        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync($"/api/v1/returnees/{returnee}/identification-requests", host.Token("coordinator", "HR"), new { destination = "AL" })).Status);
        var id = await SendAsync(host, at, returnee, "AL");

        var seen = await host.GetAsync($"/api/v1/identification-requests/{id}", al);
        Assert.True(seen.Status == HttpStatusCode.OK, seen.ToString());
        Assert.Equal(["reference", "nationality", "birthYear", "sex", "travelDocument"], seen.Json.GetProperty("person").EnumerateObject().Select(p => p.Name));
        Assert.Equal("AwaitingIdentity", seen.Json.GetProperty("request").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"/api/v1/identification-requests/{id}", rs)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"/api/v1/identification-requests/{id}", host.Token("coordinator", "HR"))).Status);
        Assert.Contains(id, (await host.GetAsync("/api/v1/identification-requests", al)).Body);
        Assert.DoesNotContain(id, (await host.GetAsync("/api/v1/identification-requests", rs)).Body);
        Assert.DoesNotContain(id, (await host.GetAsync("/api/v1/identification-requests", host.Token("coordinator", "HR"))).Body);
        Assert.Contains(id, (await host.GetAsync($"/api/v1/identification-requests?returnee={returnee}", at)).Body);

        Assert.Equal(HttpStatusCode.NotFound, (await host.PostAsync($"/api/v1/identification-requests/{id}/confirm", rs, new { })).Status);
        var early = await host.PostAsync($"/api/v1/identification-requests/{id}/document", al,
            new { kind = "Passport", number = "P-1", validFrom = Day(clock.GetUtcNow()), validUntil = Day(clock.GetUtcNow().AddYears(1)) });
        Assert.True(early.Status == HttpStatusCode.Conflict, early.ToString());
        var confirmed = await host.PostAsync($"/api/v1/identification-requests/{id}/confirm", al, new { });
        Assert.True(confirmed.Status == HttpStatusCode.OK, confirmed.ToString());

        var shortLived = await host.PostAsync($"/api/v1/identification-requests/{id}/document", al,
            new { kind = "EmergencyTravelDocument", number = "ETD-7", validFrom = Day(clock.GetUtcNow()), validUntil = Day(clock.GetUtcNow().AddMonths(3)) });
        Assert.True(shortLived.Status == HttpStatusCode.UnprocessableEntity, shortLived.ToString());
        Assert.Equal("identification", shortLived.Json.GetProperty("rule").GetString());
        var validUntil = Day(clock.GetUtcNow().AddMonths(8));
        var issued = await host.PostAsync($"/api/v1/identification-requests/{id}/document", al,
            new { kind = "EuTravelDocumentForReturn", number = "EU-0042", validFrom = Day(clock.GetUtcNow()), validUntil });
        Assert.True(issued.Status == HttpStatusCode.OK, issued.ToString());

        Assert.Equal("DocumentIssued", issued.Json.GetProperty("status").GetString());
        Assert.Equal(validUntil, (await host.GetAsync($"/api/v1/returnees/{returnee}", at)).Json.GetProperty("travelDocumentValidUntil").GetString());
        var actions = (await host.GetAsync("/api/v1/audit", host.Token("fro"))).Json.GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "identification.request", "identification.read", "identification.confirm", "identification.document" }, actions);
    }

    [Fact]
    public async Task Refusal_needs_a_known_reason_code_and_a_text()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var al = host.Token("partner", "AL");
        var id = await SendAsync(host, at, await Demo.CreateReturneeAsync(host, at, "AT-ID-2"), "AL");

        Assert.Equal(HttpStatusCode.BadRequest, (await host.PostAsync($"/api/v1/identification-requests/{id}/refuse", al, new { reason = "Because", text = "x" })).Status);
        var blank = await host.PostAsync($"/api/v1/identification-requests/{id}/refuse", al, new { reason = "NotANational", text = " " });
        Assert.True(blank.Status == HttpStatusCode.UnprocessableEntity, blank.ToString());
        var refused = await host.PostAsync($"/api/v1/identification-requests/{id}/refuse", al, new { reason = "NotANational", text = "No record in the civil register" });
        Assert.True(refused.Status == HttpStatusCode.OK, refused.ToString());

        var after = (await host.GetAsync($"/api/v1/identification-requests/{id}", at)).Json.GetProperty("request");
        Assert.Equal(("Refused", "NotANational"), (after.GetProperty("status").GetString(), after.GetProperty("refusalReason").GetString()));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Overdue_identifications_reach_the_board_as_counts_and_china_waits_on_its_longer_clock(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var secretariat = host.Token("secretariat");
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        await SendAsync(host, at, await Demo.CreateReturneeAsync(host, at, "AT-ID-3"), "AL");
        var confirmedLater = await SendAsync(host, hr, await Demo.CreateReturneeAsync(host, hr, "HR-ID-3"), "AL");
        await SendAsync(host, at, await Demo.CreateReturneeAsync(host, at, "AT-ID-4"), "CN");

        Assert.Equal(0, (await host.GetAsync("/api/v1/identification-requests/overdue", secretariat)).Json.GetProperty("destinations").GetArrayLength());
        clock.Advance(TimeSpan.FromDays(15));
        await host.FireDueRemindersAsync();
        var albania = await host.GetAsync("/api/v1/identification-requests/overdue", secretariat);
        Assert.True(albania.Status == HttpStatusCode.OK, albania.ToString());
        Assert.DoesNotContain("AT-ID", albania.Body);
        var destination = Assert.Single(albania.Json.GetProperty("destinations").EnumerateArray());
        Assert.Equal(("AL", false), (destination.GetProperty("destination").GetString(), destination.GetProperty("throughEmbassy").GetBoolean()));
        Assert.Equal(["AT:1/0", "HR:1/0"], Waiting(destination));

        // An answer takes a request off the board until its next step is late.
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/identification-requests/{confirmedLater}/confirm", host.Token("partner", "AL"), new { })).Status);
        Assert.Equal(["AT:1/0"], Waiting(Assert.Single((await host.GetAsync("/api/v1/identification-requests/overdue", secretariat)).Json.GetProperty("destinations").EnumerateArray())));

        clock.Advance(TimeSpan.FromDays(76));
        await host.FireDueRemindersAsync();
        var all = (await host.GetAsync("/api/v1/identification-requests/overdue", host.Token("fro"))).Json;
        Assert.Equal((2, 1), (all.GetProperty("awaitingIdentity").GetInt64(), all.GetProperty("awaitingDocument").GetInt64()));
        var china = all.GetProperty("destinations").EnumerateArray().Single(d => d.GetProperty("destination").GetString() == "CN");
        Assert.True(china.GetProperty("throughEmbassy").GetBoolean());
    }

    [Fact]
    public async Task China_is_seeded_as_a_practical_arrangement_that_never_accepts_by_silence()
    {
        var host = await StartAsync();
        var admin = host.Token("admin");

        var china = (await host.GetAsync("/api/v1/agreements", admin)).Json.EnumerateArray().Single(a => a.GetProperty("destination").GetString() == "CN");
        Assert.Equal("Arrangement", china.GetProperty("basis").GetString());
        Assert.False(china.GetProperty("silenceMeansAcceptance").GetBoolean());
        Assert.True(china.GetProperty("identification").GetProperty("throughEmbassy").GetBoolean());
        var silent = await host.SendAsync(HttpMethod.Put, "/api/v1/agreements/CN", admin,
            new { replyDays = 60, extensionDays = 0, silenceMeansAcceptance = true, transferDays = 90, basis = "Arrangement" });
        Assert.True(silent.Status == HttpStatusCode.UnprocessableEntity, silent.ToString());
        Assert.Equal("validation", silent.Json.GetProperty("rule").GetString());
    }

    private static string[] Waiting(JsonElement destination) =>
        [.. destination.GetProperty("waiting").EnumerateArray().Select(w =>
            $"{w.GetProperty("country").GetString()}:{w.GetProperty("awaitingIdentity").GetInt64()}/{w.GetProperty("awaitingDocument").GetInt64()}")];
}
