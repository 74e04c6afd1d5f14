using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

public sealed class DemoAndErasureTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task The_demo_scenario_is_served_through_the_gateway_with_country_scoping()
    {
        var host = await StartAsync(settings: new Dictionary<string, string?> { ["Gateway:SeedDemoData"] = "true" });
        var at = host.Token("coordinator", "AT");
        var operations = await host.GetAsync("/api/v1/operations?pageSize=200", at);
        Assert.Equal(HttpStatusCode.OK, operations.Status);
        Assert.True(operations.Json.GetProperty("total").GetInt64() >= 6, operations.Body);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/operations/demo-op-1", at)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/returnees/demo-at-001", at)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/api/v1/returnees/demo-at-001", host.Token("coordinator", "DE"))).Status);
        var mine = await host.GetAsync("/api/v1/returnees", at);
        Assert.All(mine.Json.GetProperty("items").EnumerateArray(), r => Assert.StartsWith("demo-at-", r.GetProperty("id").GetString()));
        var nigeria = await host.GetAsync("/api/v1/operations", host.Token("partner", "NG"));
        Assert.All(nigeria.Json.GetProperty("items").EnumerateArray(),
            o => Assert.Contains("NG", o.GetProperty("destinations").EnumerateArray().Select(d => d.GetString())));
        var statistics = await host.GetAsync("/api/v1/statistics", host.Token("secretariat"));
        Assert.Equal(HttpStatusCode.OK, statistics.Status);
    }

    [Fact]
    public async Task Erasing_a_returnee_also_drops_the_stored_answer_that_named_it()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var created = await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("AT-ERASE-1"), idempotencyKey: "create-1");
        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal(1, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_idempotency WHERE body LIKE '%AT-ERASE-1%'"));
        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/returnees/{id}", at)).Status);
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_idempotency WHERE body LIKE '%AT-ERASE-1%'"));
        var erased = await host.GetAsync($"/api/v1/returnees/{id}", at);
        Assert.Equal("Erased", erased.Json.GetProperty("status").GetString());
        Assert.DoesNotContain("AT-ERASE-1", erased.Body);
    }

    /// <summary>Issue 23, defect 3: the key outlives the erasure, so a retried registration does not register the person anew.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_retried_registration_after_erasure_is_410_erased_and_registers_nobody(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var created = await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("AT-ERASE-2"), idempotencyKey: "create-2");
        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/returnees/{id}", at)).Status);
        var before = await DomainRows.SnapshotAsync(host);

        var retried = await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("AT-ERASE-2"), idempotencyKey: "create-2");

        Assert.True(retried.Status == HttpStatusCode.Gone, retried.ToString());
        Assert.Equal("urn:returnops:problem:erased", retried.Json.GetProperty("type").GetString());
        Assert.Equal("erased", retried.Json.GetProperty("rule").GetString());
        Assert.Equal("true", retried.Header("Idempotent-Replayed"));
        Assert.DoesNotContain("AT-ERASE-2", retried.Body);
        Assert.DoesNotContain(id, retried.Body);
        Assert.Null(retried.Header("Location"));
        Assert.Equal(before, await DomainRows.SnapshotAsync(host));
        var list = await host.GetAsync("/api/v1/returnees?includeErased=true", at);
        Assert.Equal([id], list.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    /// <summary>Issue 23, defect 4: no cache keeps a copy of an answer with personal data.</summary>
    [Fact]
    public async Task Answers_with_personal_data_are_marked_no_store()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var created = await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("AT-NOSTORE-1"), idempotencyKey: "create-3");
        var id = created.Json.GetProperty("id").GetString()!;
        var replayed = await host.PostAsync("/api/v1/returnees", at, Demo.Returnee("AT-NOSTORE-1"), idempotencyKey: "create-3");
        var readmission = await host.PostAsync($"/api/v1/returnees/{id}/readmission-requests", at, new { destination = "AL" });
        var request = readmission.Json.GetProperty("id").GetString()!;

        foreach (var answer in new[]
        {
            created, replayed, readmission, await host.GetAsync($"/api/v1/returnees/{id}", at), await host.GetAsync("/api/v1/returnees", at),
            await host.GetAsync($"/api/v1/readmission-requests/{request}", at), await host.GetAsync($"/api/v1/returnees/{id}/reintegration", at),
            await host.GetAsync("/api/v1/returnees/rt-unknown", at),
        })
        {
            Assert.True(answer.Headers.CacheControl?.NoStore == true, $"{answer.Code} without Cache-Control: no-store");
        }
    }

    [Fact]
    public async Task A_merge_patch_that_makes_a_booked_returnee_ineligible_suspends_its_seat_at_once()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-S-1");
        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], 2, 1));
        Assert.Equal("Confirmed", booked.Json.GetProperty("status").GetString());
        var current = await host.GetAsync($"/api/v1/returnees/{returnee}", at);
        var stale = await host.SendAsync(HttpMethod.Patch, $"/api/v1/returnees/{returnee}", at, "{\"appealPending\":true,\"appealSuspensive\":true}",
            contentType: "application/merge-patch+json", ifMatch: "\"0000\"");
        Assert.Equal(412, stale.Code);
        var patched = await host.SendAsync(HttpMethod.Patch, $"/api/v1/returnees/{returnee}", at, "{\"appealPending\":true,\"appealSuspensive\":true}",
            contentType: "application/merge-patch+json", ifMatch: current.Header("ETag"));
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.True(patched.Json.GetProperty("appealSuspensive").GetBoolean());
        var bookings = await host.GetAsync($"/api/v1/operations/{operation}/bookings", at);
        Assert.Equal("Suspended", Assert.Single(bookings.Json.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());
        var view = await host.GetAsync($"/api/v1/operations/{operation}", at);
        Assert.Equal(0, view.Json.GetProperty("seats").GetProperty("confirmed").GetInt32());

        // Still ineligible: reinstating is refused with the rule; eligible again: the seat comes back.
        var bookingId = booked.Json.GetProperty("id").GetString();
        var refused = await host.PostAsync($"/api/v1/operations/{operation}/bookings/{bookingId}/reinstate", at, new { });
        Assert.Equal(422, refused.Code);
        Assert.Equal("suspensive-appeal", refused.Json.GetProperty("rule").GetString());
        await host.SendAsync(HttpMethod.Patch, $"/api/v1/returnees/{returnee}", at, "{\"appealPending\":false}", contentType: "application/merge-patch+json");
        var reinstated = await host.PostAsync($"/api/v1/operations/{operation}/bookings/{bookingId}/reinstate", at, new { });
        Assert.True(reinstated.Status == HttpStatusCode.OK, reinstated.ToString());
        Assert.Equal("Confirmed", reinstated.Json.GetProperty("status").GetString());
    }
}
