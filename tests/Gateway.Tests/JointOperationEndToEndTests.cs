using System.Net;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>A joint return operation from announcement to erasure of personal data, through HTTP only.</summary>
public sealed class JointOperationEndToEndTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static void Expect(HttpStatusCode status, Answer answer, string step) =>
        Assert.True(answer.Status == status, $"{step}: expected {(int)status}, got {answer}");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Announce_book_readmit_clear_monitor_confirm_depart_complete_and_erase(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var now = clock.GetUtcNow();
        var organiser = host.Token("coordinator", "AT");

        // Capacity 18: four bookings of 4 seats fit, the fifth is waitlisted whole.
        var operation = await Demo.CreateOperationAsync(host, organiser, now, ["AL", "RS"], seatCapacity: 18);
        string[] states = ["AT", "HR", "DE", "SI", "CZ"];
        var returnees = new Dictionary<string, string>();
        var bookings = new Dictionary<string, Answer>();
        foreach (var state in states)
        {
            var token = host.Token("coordinator", state);
            returnees[state] = await Demo.CreateReturneeAsync(host, token, state + "-2026-0001");
            var readmission = await host.PostAsync($"/api/v1/returnees/{returnees[state]}/readmission-requests", token, new { destination = "AL" });
            Expect(HttpStatusCode.Created, readmission, "readmission request of " + state);
            Assert.Equal("Pending", readmission.Json.GetProperty("status").GetString());
            bookings[state] = await host.PostAsync($"/api/v1/operations/{operation}/bookings", token, Demo.Booking([returnees[state]], escorts: 2, medical: 1));
            Expect(HttpStatusCode.Created, bookings[state], "booking of " + state);
        }
        Assert.Equal(["Confirmed", "Confirmed", "Confirmed", "Confirmed", "Waitlisted"],
            states.Select(s => bookings[s].Json.GetProperty("status").GetString()));
        var seats = (await host.GetAsync($"/api/v1/operations/{operation}", organiser)).Json.GetProperty("seats");
        Assert.Equal((18, 16, 4, 2), (seats.GetProperty("capacity").GetInt32(), seats.GetProperty("confirmed").GetInt32(),
            seats.GetProperty("waitlisted").GetInt32(), seats.GetProperty("free").GetInt32()));

        // The partner answers the requests addressed to it.
        var albania = host.Token("partner", "AL");
        var requests = await host.GetAsync("/api/v1/readmission-requests?status=Pending", albania);
        Expect(HttpStatusCode.OK, requests, "partner's pending requests");
        Assert.Equal(5, requests.Json.GetProperty("items").GetArrayLength());
        foreach (var request in requests.Json.GetProperty("items").EnumerateArray())
        {
            var reply = await host.PostAsync($"/api/v1/readmission-requests/{request.GetProperty("id").GetString()}/reply", albania, new { accepted = true });
            Expect(HttpStatusCode.OK, reply, "reply");
            Assert.Equal("Accepted", reply.Json.GetProperty("status").GetString());
        }
        var sent = await host.GetAsync("/api/v1/readmission-requests", host.Token("coordinator", "HR"));
        Assert.Equal("Accepted", Assert.Single(sent.Json.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());

        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{operation}/status", organiser, new { to = "BookingClosed" }), "closing bookings");
        // Rule 16: the destination sees the manifest only once the organiser has shared it.
        Assert.Equal(404, (await host.GetAsync($"/api/v1/operations/{operation}/manifest", albania)).Code);
        var shared = await host.PostAsync($"/api/v1/operations/{operation}/manifest/share", organiser, null);
        Expect(HttpStatusCode.OK, shared, "sharing the manifest");
        Assert.True(shared.Json.GetProperty("manifestShared").GetBoolean());
        var manifest = await host.GetAsync($"/api/v1/operations/{operation}/manifest", albania);
        Expect(HttpStatusCode.OK, manifest, "destination's manifest");
        Assert.Equal(4, manifest.Json.GetProperty("entries").GetArrayLength());
        foreach (var destination in new[] { "AL", "RS" })
        {
            Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{operation}/clearance", host.Token("partner", destination),
                new { cleared = true, rejectedReturnees = Array.Empty<string>() }), "clearance by " + destination);
        }
        foreach (var state in states[..4])
        {
            await Demo.NameStaffAsync(host, host.Token("coordinator", state), operation, bookings[state].Json.GetProperty("id").GetString()!, escorts: 2, medical: 1);
        }
        var unmonitored = await host.PostAsync($"/api/v1/operations/{operation}/status", organiser, new { to = "Confirmed" });
        Assert.Equal(422, unmonitored.Code);
        Assert.Equal("monitor-required", unmonitored.Json.GetProperty("rule").GetString());
        Expect(HttpStatusCode.OK, await host.PostAsync($"/api/v1/operations/{operation}/monitors", host.Token("secretariat"), new { monitor = "monitor-1" }),
            "assigning a monitor");
        foreach (var step in new[] { "Confirmed", "Departed", "Completed" })
        {
            var moved = await host.PostAsync($"/api/v1/operations/{operation}/status", organiser, new { to = step });
            Expect(HttpStatusCode.OK, moved, "moving to " + step);
            Assert.Equal(step, moved.Json.GetProperty("status").GetString());
        }
        Expect(HttpStatusCode.NoContent, await host.PostAsync($"/api/v1/operations/{operation}/monitor-report",
            host.Token("monitor", subject: "monitor-1"), new { summary = "Hand-over in Tirana without incident.", issuesFound = false }), "monitor report");

        // Retention: ten days after the end, the returnees' personal data is gone and the counts remain.
        var before = await host.GetAsync($"/api/v1/returnees/{returnees["AT"]}", organiser);
        Assert.Equal("AT-2026-0001", before.Json.GetProperty("reference").GetString());
        clock.Advance(TimeSpan.FromDays(11));
        await Eventually.True(async () =>
        {
            await host.FireDueRemindersAsync();
            var after = await host.GetAsync($"/api/v1/returnees/{returnees["AT"]}", organiser);
            return after.Json.GetProperty("status").GetString() == "Erased";
        }, "the retention reminder to erase the returnees");
        var erased = await host.GetAsync($"/api/v1/returnees/{returnees["AT"]}", organiser);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, erased.Json.GetProperty("reference").ValueKind);
        var statistics = await host.GetAsync($"/api/v1/statistics?year={now.AddDays(20).Year}", host.Token("secretariat"));
        Expect(HttpStatusCode.OK, statistics, "statistics");
        Assert.Equal(4, statistics.Json.GetProperty("returneesByParticipant").EnumerateArray().Sum(r => r.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task The_event_stream_shows_the_operation_and_each_change()
    {
        var host = await StartAsync();
        var organiser = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, organiser, TimeProvider.System.GetUtcNow(), ["AL"], announce: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/operations/{operation}/events");
        request.Headers.Authorization = new("Bearer", host.Token("partner", "AL"));
        using var response = await host.RawClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await EventStream.ReadEventAsync(reader);
        Assert.Contains("\"status\":\"Draft\"", first);
        await host.PostAsync($"/api/v1/operations/{operation}/status", organiser, new { to = "Announced" });
        var second = await EventStream.ReadEventAsync(reader);
        Assert.Contains("\"status\":\"Announced\"", second);
    }

    /// <summary>
    /// A change no HTTP call made, by the booking deadline's reminder inside the co-hosted silo, reaches the stream too:
    /// streams hear the database's change feed, whoever wrote.
    /// </summary>
    [Fact]
    public async Task The_event_stream_shows_a_change_made_by_a_reminder_in_the_silo()
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(clock: clock);
        var organiser = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, organiser, clock.GetUtcNow(), ["AL"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/operations/{operation}/events");
        request.Headers.Authorization = new("Bearer", host.Token("partner", "AL"));
        using var response = await host.RawClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Contains("\"status\":\"Announced\"", await EventStream.ReadEventAsync(reader));

        clock.Advance(TimeSpan.FromDays(30));
        await host.FireDueRemindersAsync();

        Assert.Contains("\"status\":\"BookingClosed\"", await EventStream.ReadEventAsync(reader));
    }
}
