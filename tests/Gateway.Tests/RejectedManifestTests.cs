using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// Issue 24 through HTTP: a destination that rejects a confirmed manifest raises an alert on the operation and holds the
/// departure back until the rejection is resolved; one returnee is taken off a booking without cancelling the rest.
/// Austria organises, Croatia books, Albania is the destination.
/// </summary>
public sealed class RejectedManifestTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static void Expect(HttpStatusCode status, Answer answer, string step) =>
        Assert.True(answer.Status == status, $"{step}: expected {(int)status}, got {answer}");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_rejected_person_blocks_the_departure_until_the_organiser_removes_them(string provider)
    {
        var host = await StartAsync(provider);
        var (op, hrBooking, hrRejected, hrKept, atReturnee) = await ConfirmedAsync(host);
        var at = host.Token("coordinator", "AT");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/clearance", host.Token("partner", "AL"),
            new { cleared = false, rejectedReturnees = new[] { hrRejected }, reason = "not a national" }), "the rejection");

        var alerted = (await host.GetAsync($"/api/v1/operations/{op}", host.Token("secretariat"))).Json;
        Assert.Contains(alerted.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("manifest-rejected", StringComparison.Ordinal));
        Assert.True(alerted.GetProperty("clearances")[0].GetProperty("outstanding").GetBoolean());
        var held = await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Departed" });
        Assert.Equal((422, "manifest-clearance"), (held.Code, held.Json.GetProperty("rule").GetString()));

        // Who may take the rejected person off: the organiser and Croatia; not Germany, not the destination, not a person not rejected.
        var path = $"/api/v1/operations/{op}/bookings/{hrBooking}/returnees/";
        var etag = (await host.GetAsync($"/api/v1/operations/{op}", at)).Header("ETag");
        Expect(HttpStatusCode.NotFound, await host.SendAsync(HttpMethod.Delete, path + hrRejected, host.Token("coordinator", "DE")), "Germany");
        Expect(HttpStatusCode.Forbidden, await host.SendAsync(HttpMethod.Delete, path + hrRejected, host.Token("partner", "AL")), "the destination");
        Expect(HttpStatusCode.NotFound, await host.SendAsync(HttpMethod.Delete, path + hrKept, at), "the organiser, a person not rejected");
        Expect(HttpStatusCode.NotFound, await host.SendAsync(HttpMethod.Delete, path + atReturnee, at), "a person of another booking");
        Assert.Equal(etag, (await host.GetAsync($"/api/v1/operations/{op}", at)).Header("ETag"));

        Expect(HttpStatusCode.NoContent, await host.SendAsync(HttpMethod.Delete, path + hrRejected, at), "the organiser removes the rejected person");
        // A retry is answered as the first, and audited as an access like it.
        Expect(HttpStatusCode.NoContent, await host.SendAsync(HttpMethod.Delete, path + hrRejected, at), "again");

        var booking = Assert.Single((await host.GetAsync($"/api/v1/operations/{op}/bookings", host.Token("coordinator", "HR"))).Json.GetProperty("items").EnumerateArray());
        Assert.Equal([hrKept], booking.GetProperty("returnees").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Confirmed", booking.GetProperty("status").GetString());
        Assert.Equal("Available", (await host.GetAsync($"/api/v1/returnees/{hrRejected}", host.Token("coordinator", "HR"))).Json.GetProperty("status").GetString());
        Assert.Equal(0, await host.Storage.ScalarAsync($"SELECT count(*) FROM returnee_hold WHERE id = '{hrRejected}'"));
        // Through the audit log, which seals what is pending first: the background sealer may have moved the entries already.
        var audited = (await host.GetAsync("/api/v1/audit?action=booking.returnee.remove", host.Token("fro"))).Json.GetProperty("items");
        Assert.Equal(2, audited.EnumerateArray().Count(e => e.GetProperty("outcome").GetString() == "204"));
        var resolved = (await host.GetAsync($"/api/v1/operations/{op}", at)).Json;
        Assert.DoesNotContain(resolved.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("manifest-rejected", StringComparison.Ordinal));
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Departed" }), "departing");
    }

    [Fact]
    public async Task A_rejection_is_overridden_only_with_a_reason_and_the_last_returnee_is_not_removed()
    {
        var host = await StartAsync();
        var (op, hrBooking, hrRejected, hrKept, _) = await ConfirmedAsync(host);
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/clearance", host.Token("partner", "AL"),
            new { cleared = false, rejectedReturnees = Array.Empty<string>(), reason = "landing permit withdrawn" }), "the rejection");
        Expect(HttpStatusCode.NoContent, await host.SendAsync(HttpMethod.Delete, $"/api/v1/operations/{op}/bookings/{hrBooking}/returnees/{hrRejected}", hr), "its own coordinator");
        var last = await host.SendAsync(HttpMethod.Delete, $"/api/v1/operations/{op}/bookings/{hrBooking}/returnees/{hrKept}", hr);
        Assert.Equal((409, "invalid-transition"), (last.Code, last.Json.GetProperty("rule").GetString()));

        // A rejection of the whole manifest names nobody to remove: the organiser overrides it, with a reason.
        var unexplained = await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Departed", overrideClearance = true, reason = " " });
        Assert.Equal((422, "manifest-clearance"), (unexplained.Code, unexplained.Json.GetProperty("rule").GetString()));
        var departed = await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Departed", overrideClearance = true, reason = "permit renewed by phone" });

        Expect(HttpStatusCode.OK, departed, "departing with the override");
        Assert.Equal("permit renewed by phone", departed.Json.GetProperty("clearances")[0].GetProperty("overriddenBecause").GetString());
    }

    /// <summary>An operation to Albania, confirmed with Albania's clearance: Austria books one returnee, Croatia two.</summary>
    private static async Task<(string Op, string HrBooking, string HrRejected, string HrKept, string AtReturnee)> ConfirmedAsync(GatewayHost host)
    {
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        var op = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var atReturnee = await Demo.CreateReturneeAsync(host, at, "AT-R-1");
        var hrRejected = await Demo.CreateReturneeAsync(host, hr, "HR-R-1");
        var hrKept = await Demo.CreateReturneeAsync(host, hr, "HR-R-2");
        var atBooking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([atReturnee], 2, 1))).Json.GetProperty("id").GetString()!;
        var hrBooking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", hr, Demo.Booking([hrRejected, hrKept], 4))).Json.GetProperty("id").GetString()!;
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/monitors", host.Token("secretariat"), new { monitor = "monitor-1" }), "monitor");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "BookingClosed" }), "closing");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/manifest/share", at, null), "sharing the manifest");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/clearance", host.Token("partner", "AL"), new { cleared = true }), "clearance");
        await Demo.NameStaffAsync(host, at, op, atBooking, escorts: 2, medical: 1);
        await Demo.NameStaffAsync(host, hr, op, hrBooking, escorts: 4);
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Confirmed" }), "confirming");
        return (op, hrBooking, hrRejected, hrKept, atReturnee);
    }
}
