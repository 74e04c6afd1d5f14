using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>The added routes <c>PUT .../bookings/{bookingId}/staff</c> (rule 6 for staff) and <c>POST .../no-shows</c>, through HTTP only.</summary>
public sealed class StaffAndNoShowTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static void Expect(HttpStatusCode status, Answer answer, string step) =>
        Assert.True(answer.Status == status, $"{step}: expected {(int)status}, got {answer}");

    [Fact]
    public async Task Staff_are_named_by_PUT_and_bad_input_is_refused_without_changing_anything()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var op = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-S-1");
        var booking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([returnee], 2, 1))).Json.GetProperty("id").GetString()!;
        var path = $"/api/v1/operations/{op}/bookings/{booking}/staff";
        var etag = (await host.GetAsync($"/api/v1/operations/{op}", at)).Header("ETag");

        (object Body, int Status, string? Rule)[] refused =
        [
            (new { staff = new[] { new { reference = "AT-1", role = "Pilot", travelDocumentValidUntil = "2030-12-31" } } }, 400, null),
            (new { staff = new[] { new { reference = "AT-1", role = "Escort" } } }, 400, null),
            (new { staff = new[] { new { reference = "AT-1", role = "Escort", travelDocumentValidUntil = "31.12.2030" } } }, 400, null),
            (new { staff = new[] { new { reference = "AT-1", role = "Escort", travelDocumentValidUntil = "2030-12-31", name = "Max" } } }, 400, null),
            (Demo.Staff("AT", escorts: 1, medical: 1), 422, "validation"),
            (Demo.Staff("AT", escorts: 2, medical: 1, validUntil: "2020-01-01"), 422, "travel-document"),
        ];
        foreach (var (body, status, rule) in refused)
        {
            var answer = await host.SendAsync(HttpMethod.Put, path, at, body);
            Assert.True(answer.Code == status, $"{System.Text.Json.JsonSerializer.Serialize(body)}: expected {status}, got {answer}");
            Assert.Equal("application/problem+json", answer.ContentHeaders?.ContentType?.MediaType);
            if (rule is not null)
            {
                Assert.Equal(rule, answer.Json.GetProperty("rule").GetString());
            }
        }
        Expect(HttpStatusCode.NotFound, await host.SendAsync(HttpMethod.Put, $"/api/v1/operations/{op}/bookings/bk-unknown/staff", at, Demo.Staff("AT", 2, 1)), "unknown booking");
        Assert.Equal(etag, (await host.GetAsync($"/api/v1/operations/{op}", at)).Header("ETag"));
        var before = Assert.Single((await host.GetAsync($"/api/v1/operations/{op}/bookings", at)).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(0, before.GetProperty("namedStaff").GetInt32());

        var named = await host.SendAsync(HttpMethod.Put, path, at, Demo.Staff("AT", 2, 1));

        Expect(HttpStatusCode.OK, named, "naming the staff");
        Assert.Equal(3, named.Json.GetProperty("namedStaff").GetInt32());
        Assert.Equal(["AT-E1", "AT-E2", "AT-M1"], named.Json.GetProperty("staff").EnumerateArray().Select(m => m.GetProperty("reference").GetString()));
        Assert.Equal("2030-12-31", named.Json.GetProperty("staff")[0].GetProperty("travelDocumentValidUntil").GetString());
        // A stale If-Match is refused; the same list again is answered as before.
        Expect(HttpStatusCode.PreconditionFailed, await host.SendAsync(HttpMethod.Put, path, at, Demo.Staff("AT2", 2, 1), ifMatch: etag), "stale If-Match");
        Expect(HttpStatusCode.OK, await host.SendAsync(HttpMethod.Put, path, at, Demo.Staff("AT", 2, 1)), "the same list again");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_no_show_is_recorded_after_departure_and_counted_in_statistics(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        var op = await Demo.CreateOperationAsync(host, at, clock.GetUtcNow(), ["AL"]);
        var boarded = await Demo.CreateReturneeAsync(host, at, "AT-N-1");
        var absconded = await Demo.CreateReturneeAsync(host, hr, "HR-N-1");
        var atBooking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", at, Demo.Booking([boarded], 2, 1))).Json.GetProperty("id").GetString()!;
        var hrBooking = (await host.PostAsync($"/api/v1/operations/{op}/bookings", hr, Demo.Booking([absconded], 2))).Json.GetProperty("id").GetString()!;
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/monitors", host.Token("secretariat"), new { monitor = "monitor-1" }), "monitor");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "BookingClosed" }), "closing");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/manifest/share", at, null), "sharing the manifest");
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/clearance", host.Token("partner", "AL"), new { cleared = true }), "clearance");
        var unnamed = await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Confirmed" });
        Assert.Equal((422, "travel-document"), (unnamed.Code, unnamed.Json.GetProperty("rule").GetString()));
        await Demo.NameStaffAsync(host, at, op, atBooking, escorts: 2, medical: 1);
        await Demo.NameStaffAsync(host, hr, op, hrBooking, escorts: 2);
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Confirmed" }), "confirming");
        var early = await host.PostAsync($"/api/v1/operations/{op}/no-shows", hr, new { returneeId = absconded, reason = "Absconded" });
        Assert.Equal((409, "invalid-transition"), (early.Code, early.Json.GetProperty("rule").GetString()));
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Departed" }), "departing");

        Expect(HttpStatusCode.BadRequest, await host.PostAsync($"/api/v1/operations/{op}/no-shows", hr, new { returneeId = absconded, reason = "Sleeping" }), "unknown reason");
        Expect(HttpStatusCode.BadRequest, await host.PostAsync($"/api/v1/operations/{op}/no-shows", hr, new { reason = "Absconded" }), "no returnee");
        Expect(HttpStatusCode.NotFound, await host.PostAsync($"/api/v1/operations/{op}/no-shows", hr, new { returneeId = boarded, reason = "Absconded" }), "another country's returnee");
        var recorded = await host.PostAsync($"/api/v1/operations/{op}/no-shows", hr, new { returneeId = absconded, reason = "Absconded" });

        Expect(HttpStatusCode.Created, recorded, "recording the no-show");
        Assert.Equal(("HR", "Absconded", hrBooking), (recorded.Json.GetProperty("country").GetString(), recorded.Json.GetProperty("reason").GetString(),
            recorded.Json.GetProperty("bookingId").GetString()));
        Assert.Equal("Available", (await host.GetAsync($"/api/v1/returnees/{absconded}", hr)).Json.GetProperty("status").GetString());
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{op}/status", at, new { to = "Completed" }), "completing");
        var statistics = await host.GetAsync($"/api/v1/statistics?year={clock.GetUtcNow().AddDays(20).Year}", host.Token("secretariat"));
        Expect(HttpStatusCode.OK, statistics, "statistics");
        Assert.Equal(1, statistics.Json.GetProperty("noShows").GetInt64());
        var byParticipant = statistics.Json.GetProperty("noShowsByParticipant").EnumerateArray().Single();
        Assert.Equal(("HR", 1L), (byParticipant.GetProperty("key").GetString(), byParticipant.GetProperty("count").GetInt64()));
        var detail = statistics.Json.GetProperty("noShowsByParticipantAndReason").EnumerateArray().Single();
        Assert.Equal(("HR", "Absconded", 1L), (detail.GetProperty("participant").GetString(), detail.GetProperty("reason").GetString(), detail.GetProperty("noShows").GetInt64()));
        // Returnees carried: Austria's one; Croatia's did not board.
        Assert.Equal(1, statistics.Json.GetProperty("returneesByParticipant").EnumerateArray().Sum(r => r.GetProperty("count").GetInt64()));
    }
}
