using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

public sealed class AuditTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static async Task<(GatewayHost Host, string Fro)> HostWithEntriesAsync(Func<string, Task<GatewayHost>> start, string provider)
    {
        var host = await start(provider);
        var at = host.Token("coordinator", "AT");
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-A-1");
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"/api/v1/returnees/{returnee}", at)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync($"/api/v1/returnees/{returnee}", host.Token("coordinator", "HR"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync($"/api/v1/returnees/{returnee}", host.Token("partner", "AL"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/api/v1/countries", null)).Status);
        return (host, host.Token("fro"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Personal_data_access_and_denials_are_logged_with_who_what_and_outcome(string provider)
    {
        var (host, fro) = await HostWithEntriesAsync(p => StartAsync(p), provider);
        var log = await host.GetAsync("/api/v1/audit", fro);
        var entries = log.Json.GetProperty("items").EnumerateArray()
            .Select(e => $"{e.GetProperty("subject").GetString()}|{e.GetProperty("role").GetString()}|{e.GetProperty("country").GetString()}|{e.GetProperty("action").GetString()}|{e.GetProperty("outcome").GetString()}")
            .Reverse()  // the list is newest first (issue 16); the entries read here in the order they happened
            .ToList();
        Assert.Equal(
        [
            "coordinator-at|coordinator|AT|returnee.create|201",
            "coordinator-at|coordinator|AT|returnee.read|200",
            "coordinator-hr|coordinator|HR|returnee.read|404",
            "partner-al|partner|AL|access.denied|403",
        ], entries);
        var verify = await host.GetAsync("/api/v1/audit/verify", fro);
        Assert.True(verify.Json.GetProperty("valid").GetBoolean(), verify.Body);
        Assert.Equal(4, verify.Json.GetProperty("rows").GetInt64());
    }

    /// <summary>
    /// Issue 22: a booking's entry commits in the operation's batch with the booking (the gateway makes no commit of its own
    /// for it), waits unhashed until it is sealed, and is sealed into the chain before any read; a replay is audited too, and a
    /// refusal is recorded by the gateway as before.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_booking_is_audited_in_the_operation_s_write_and_sealed_into_the_chain_before_it_is_read(string provider)
    {
        // Without the background sealer: what the booking itself wrote stays visible as written.
        var host = await StartAsync(provider, settings: new Dictionary<string, string?> { ["Gateway:AuditSealSeconds"] = "0" });
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-AUDIT-1");
        var chained = await host.Storage.ScalarAsync("SELECT count(*) FROM gateway_audit");

        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], escorts: 2), idempotencyKey: "audited");
        var replayed = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], escorts: 2), idempotencyKey: "audited");
        var refused = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], escorts: 0), idempotencyKey: "refused");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, 422), (booked.Status, replayed.Status, refused.Code));
        Assert.Equal(2, await host.Storage.ScalarAsync("SELECT count(*) FROM audit_pending WHERE action LIKE 'booking.create%' AND outcome = '201'"));
        // Only the refusal went through the gateway's own append.
        Assert.Equal(chained + 1, await host.Storage.ScalarAsync("SELECT count(*) FROM gateway_audit"));
        var fro = host.Token("fro");
        var log = await host.GetAsync("/api/v1/audit?action=booking.create", fro);
        Assert.Equal(["201", "422"], log.Json.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()).Order());
        Assert.Single((await host.GetAsync("/api/v1/audit?action=booking.create.replayed", fro)).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(0, await host.Storage.ScalarAsync("SELECT count(*) FROM audit_pending"));
        var verify = await host.GetAsync("/api/v1/audit/verify", fro);
        Assert.True(verify.Json.GetProperty("valid").GetBoolean(), verify.Body);
        Assert.Equal(chained + 3, verify.Json.GetProperty("rows").GetInt64());
    }

    /// <summary>
    /// A cancellation is one grain call like a booking: its entry commits with the cancellation (a retry's in a write of its
    /// own), and a refusal is recorded by the gateway as before.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_cancellation_is_audited_in_the_operation_s_write(string provider)
    {
        var host = await StartAsync(provider, settings: new Dictionary<string, string?> { ["Gateway:AuditSealSeconds"] = "0" });
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-AUDIT-2");
        var booking = (await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], escorts: 2))).Json.GetProperty("id").GetString();
        var chained = await host.Storage.ScalarAsync("SELECT count(*) FROM gateway_audit");
        var path = $"/api/v1/operations/{operation}/bookings/{booking}";

        var foreign = await host.SendAsync(HttpMethod.Delete, path, host.Token("coordinator", "DE"));
        var cancelled = await host.SendAsync(HttpMethod.Delete, path, at);
        var again = await host.SendAsync(HttpMethod.Delete, path, at);

        Assert.Equal((404, 204, 204), (foreign.Code, cancelled.Code, again.Code));
        Assert.Equal(2, await host.Storage.ScalarAsync("SELECT count(*) FROM audit_pending WHERE action = 'booking.cancel' AND outcome = '204'"));
        // Only the refusal went through the gateway's own append.
        Assert.Equal(chained + 1, await host.Storage.ScalarAsync("SELECT count(*) FROM gateway_audit"));
        var log = await host.GetAsync("/api/v1/audit?action=booking.cancel", host.Token("fro"));
        Assert.Equal(["204", "204", "404"], log.Json.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()).Order());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_finds_a_row_edited_in_the_database(string provider)
    {
        var (host, fro) = await HostWithEntriesAsync(p => StartAsync(p), provider);
        await host.Storage.ExecuteAsync("UPDATE gateway_audit SET outcome = '200' WHERE seq = 3");
        var verify = await host.GetAsync("/api/v1/audit/verify", fro);
        Assert.False(verify.Json.GetProperty("valid").GetBoolean(), verify.Body);
        Assert.Equal(3, verify.Json.GetProperty("brokenAtSeq").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_finds_a_row_deleted_in_the_middle_or_at_the_end(string provider)
    {
        var (host, fro) = await HostWithEntriesAsync(p => StartAsync(p), provider);
        await host.Storage.ExecuteAsync("DELETE FROM gateway_audit WHERE seq = (SELECT MAX(seq) FROM gateway_audit)");
        var tail = await host.GetAsync("/api/v1/audit/verify", fro);
        Assert.False(tail.Json.GetProperty("valid").GetBoolean(), tail.Body);
        await host.Storage.ExecuteAsync("DELETE FROM gateway_audit WHERE seq = 2");
        var middle = await host.GetAsync("/api/v1/audit/verify", fro);
        Assert.False(middle.Json.GetProperty("valid").GetBoolean(), middle.Body);
        Assert.Equal(2, middle.Json.GetProperty("brokenAtSeq").GetInt64());
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        var host = await StartAsync("Postgres");
        // Denials of callers with a valid token (anonymous ones only count, MetricsAndAuditNoiseTests).
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => host.GetAsync("/api/v1/returnees", host.Token("partner", i % 2 == 0 ? "AL" : "NG"))));
        var verify = await host.GetAsync("/api/v1/audit/verify", host.Token("admin"));
        Assert.True(verify.Json.GetProperty("valid").GetBoolean(), verify.Body);
        Assert.Equal(40, verify.Json.GetProperty("rows").GetInt64());
    }
}
