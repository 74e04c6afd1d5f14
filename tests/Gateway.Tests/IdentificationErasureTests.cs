using System.Globalization;
using System.Net;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Rules 15 and 17: erasing a case erases what its identification requests recorded about the person. Both sides still read the
/// request (as counts: ids, status, reason code, times), with <c>person: null</c>, no document number or dates and no refusal
/// text; an open request is withdrawn and takes no further step. Every answer is checked against the served OpenAPI document.
/// </summary>
public sealed class IdentificationErasureTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static readonly string[] s_personalFields = ["refusalText", "documentKind", "documentNumber", "documentValidFrom", "documentValidUntil", "documentIssuedAt"];

    private static string Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_erased_cases_requests_keep_no_personal_field_for_either_side(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var at = host.Token("coordinator", "AT");
        var al = host.Token("partner", "AL");
        var rs = host.Token("partner", "RS");
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-ERASE-ID-1");
        var issued = await SendAsync(host, at, returnee, "AL");
        Ok(await host.PostAsync($"/api/v1/identification-requests/{issued}/confirm", al, new { }));
        Ok(await host.PostAsync($"/api/v1/identification-requests/{issued}/document", al,
            new { kind = "Passport", number = "P-ERASE-77", validFrom = Day(clock.GetUtcNow()), validUntil = Day(clock.GetUtcNow().AddYears(2)) }));
        var open = await SendAsync(host, at, returnee, "RS");
        Assert.Equal("P-ERASE-77", (await host.GetAsync($"/api/v1/identification-requests/{issued}", al)).Json.GetProperty("request").GetProperty("documentNumber").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/returnees/{returnee}", at)).Status);

        foreach (var (id, partner, status) in new[] { (issued, al, "DocumentIssued"), (open, rs, "Withdrawn") })
        {
            foreach (var reader in new[] { at, partner })
            {
                var answer = await host.GetAsync($"/api/v1/identification-requests/{id}", reader);
                Ok(answer);
                Assert.Equal(JsonValueKind.Null, answer.Json.GetProperty("person").ValueKind);
                var request = answer.Json.GetProperty("request");
                Assert.Equal(status, request.GetProperty("status").GetString());
                Assert.False(request.GetProperty("overdue").GetBoolean());
                foreach (var field in s_personalFields)
                {
                    Assert.True(request.GetProperty(field).ValueKind == JsonValueKind.Null, $"{field} left after erasure: {answer.Body}");
                }
                Assert.DoesNotContain("AT-ERASE-ID-1", answer.Body);
                Assert.DoesNotContain("P-ERASE-77", answer.Body);
            }
        }
        Assert.Contains("identification.withdrawn", (await host.GetAsync("/api/v1/notifications", rs)).Body);
        Assert.DoesNotContain("identification.withdrawn", (await host.GetAsync("/api/v1/notifications", al)).Body);
        // The withdrawn request takes no answer: nothing about the person can be recorded on it again.
        var late = await host.PostAsync($"/api/v1/identification-requests/{open}/confirm", rs, new { });
        Assert.True(late.Status == HttpStatusCode.Conflict, late.ToString());
        Assert.Equal("invalid-transition", late.Json.GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await host.PostAsync($"/api/v1/identification-requests/{issued}/reissue", at, new { })).Status);
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE payload LIKE '%P-ERASE-77%'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Retention_reaches_the_identification_requests_of_the_cases_it_erases(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock, settings: new Dictionary<string, string?> { ["Grains:RetentionDays"] = "3" });
        var at = host.Token("coordinator", "AT");
        var al = host.Token("partner", "AL");
        var operation = await Demo.CreateOperationAsync(host, at, clock.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-RET-ID-1");
        var id = await SendAsync(host, at, returnee, "AL");
        Ok(await host.PostAsync($"/api/v1/identification-requests/{id}/confirm", al, new { }));
        Ok(await host.PostAsync($"/api/v1/identification-requests/{id}/document", al,
            new { kind = "Passport", number = "P-RET-88", validFrom = Day(clock.GetUtcNow()), validUntil = Day(clock.GetUtcNow().AddYears(2)) }));
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], 2, 1))).Status);
        Ok(await host.PostAsync($"/api/v1/operations/{operation}/status", at, new { to = "Cancelled", reason = "aircraft unavailable" }));

        // Retention runs in the operation, which never calls a request: the case's durable message carries the erasure to it.
        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await Eventually.True(async () =>
        {
            // The dispatcher's poll waits on the domain clock (SQLite has no wake-up signal): a few seconds of it pass per look.
            clock.Advance(TimeSpan.FromSeconds(5));
            await host.FireDueRemindersAsync();
            var answer = await host.GetAsync($"/api/v1/identification-requests/{id}", al);
            return answer.Json.GetProperty("request").GetProperty("documentNumber").ValueKind == JsonValueKind.Null;
        }, "the erasure of the case reaching its identification request");
        var read = await host.GetAsync($"/api/v1/identification-requests/{id}", at);
        Assert.Equal(JsonValueKind.Null, read.Json.GetProperty("person").ValueKind);
        Assert.DoesNotContain("P-RET-88", read.Body);
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE payload LIKE '%P-RET-88%'"));
    }

    private static async Task<string> SendAsync(GatewayHost host, string token, string returnee, string destination)
    {
        var answer = await host.PostAsync($"/api/v1/returnees/{returnee}/identification-requests", token, new { destination });
        Assert.True(answer.Status == HttpStatusCode.Created, "identification request: " + answer);
        return answer.Json.GetProperty("id").GetString()!;
    }

    private static void Ok(Answer answer) => Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
}
