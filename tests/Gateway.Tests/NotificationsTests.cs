using System.Globalization;
using System.Net;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>The pull feeds of <c>GET /notifications</c> and the secretariat's overdue readmission replies.</summary>
public sealed class NotificationsTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static async Task<List<JsonElement>> FeedAsync(GatewayHost host, string token)
    {
        var answer = await host.GetAsync("/api/v1/notifications?limit=200", token);
        Assert.True(answer.Status == HttpStatusCode.OK, "reading a feed: " + answer);
        return [.. answer.Json.GetProperty("items").EnumerateArray()];
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_coordinator_reads_its_countrys_notifications_after_a_booking_and_never_another_countrys(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var hr = host.Token("coordinator", "HR");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, hr, "HR-FEED-1");
        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", hr, Demo.Booking([returnee], 2, 1));
        Assert.True(booked.Status == HttpStatusCode.Created, "booking: " + booked);
        var bookingId = booked.Json.GetProperty("id").GetString();

        var hrFeed = await FeedAsync(host, hr);
        var confirmed = Assert.Single(hrFeed, n => n.GetProperty("type").GetString() == "booking.confirmed");
        Assert.Equal(operation, confirmed.GetProperty("operationId").GetString());
        Assert.Equal(bookingId, confirmed.GetProperty("data").GetProperty("bookingId").GetString());
        Assert.Equal("HR", confirmed.GetProperty("data").GetProperty("country").GetString());
        Assert.True(confirmed.GetProperty("occurredAt").GetDateTimeOffset() <= TimeProvider.System.GetUtcNow());
        Assert.All(hrFeed, n => Assert.Equal("HR", n.GetProperty("data").GetProperty("country").GetString()));

        // The organiser is told of every booking; a state with no part in the operation hears nothing of it.
        Assert.Contains(await FeedAsync(host, at), n => n.GetProperty("data").GetProperty("bookingId").GetString() == bookingId);
        Assert.Empty(await FeedAsync(host, host.Token("coordinator", "DE")));
        Assert.Contains(await FeedAsync(host, host.Token("secretariat")), n => n.GetProperty("type").GetString() == "booking.confirmed");
        // Ids and counts only: the feed never names the returnee.
        var raw = await host.GetAsync("/api/v1/notifications", hr);
        Assert.DoesNotContain(returnee, raw.Body);
        Assert.DoesNotContain("HR-FEED-1", raw.Body);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_fundamental_rights_officer_reads_an_incident_that_no_other_feed_carries(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var filed = await host.PostAsync($"/api/v1/operations/{operation}/incidents", at,
            new { category = "use-of-force", useOfForce = true, description = "restraint at boarding", complaint = false });
        Assert.True(filed.Status == HttpStatusCode.Created, "filing: " + filed);

        var incident = Assert.Single(await FeedAsync(host, host.Token("fro")));
        Assert.Equal("incident.filed", incident.GetProperty("type").GetString());
        Assert.Equal(operation, incident.GetProperty("operationId").GetString());
        Assert.Equal(filed.Json.GetProperty("id").GetString(), incident.GetProperty("data").GetProperty("incidentId").GetString());
        Assert.DoesNotContain(await FeedAsync(host, host.Token("secretariat")), n => n.GetProperty("type").GetString() == "incident.filed");
        Assert.DoesNotContain(await FeedAsync(host, at), n => n.GetProperty("type").GetString() == "incident.filed");

        var audit = await host.GetAsync("/api/v1/audit?limit=1000&action=notification.list", host.Token("admin"));
        Assert.Contains(audit.Json.GetProperty("items").EnumerateArray(), e => e.GetProperty("role").GetString() == "fro");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Paging_by_cursor_returns_every_notification_exactly_once_while_new_ones_arrive(string provider)
    {
        var host = await StartAsync(provider);
        var at = host.Token("coordinator", "AT");
        var written = 0;
        async Task WriteAsync(int count)
        {
            for (var i = 0; i < count; i++, written++)
            {
                // Straight into the outbox, as a grain's turn would commit it.
                await host.Storage.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"INSERT INTO outbox (message_id, destination, lane, type, payload, occurred_ms, next_attempt_ms) " +
                    $"VALUES ('feed-{written}', 'country:AT', 'op-feed', 'booking.confirmed', '{{\"subject\":\"booking.confirmed\",\"seats\":{written}}}', {written}, {written})"));
            }
        }
        await WriteAsync(95);
        var before = Enumerable.Range(0, 95).Select(i => "feed-" + i).ToHashSet();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await host.GetAsync("/api/v1/notifications?limit=20" + (cursor is null ? "" : "&after=" + cursor), at);
            Assert.True(page.Status == HttpStatusCode.OK, "page: " + page);
            seen.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
            cursor = page.Json.GetProperty("nextAfter").GetString();
            pages++;
            await WriteAsync(7);
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(before, seen.ToHashSet());
        Assert.Equal(95, seen.Count);
        Assert.Equal(seen.OrderByDescending(id => int.Parse(id[5..], CultureInfo.InvariantCulture)), seen);
        // The newest page shows what arrived meanwhile.
        var newest = await host.GetAsync("/api/v1/notifications?limit=1", at);
        Assert.Equal("feed-" + (written - 1), Assert.Single(newest.Json.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("after=abc")]
    [InlineData("after=-1")]
    [InlineData("after=0")]
    [InlineData("after=1.5")]
    [InlineData("after=99999999999999999999")]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=ten")]
    public async Task A_bad_cursor_or_limit_is_a_400_problem(string query)
    {
        var host = await StartAsync();
        var answer = await host.GetAsync("/api/v1/notifications?" + query, host.Token("coordinator", "AT"));
        Assert.True(answer.Code == 400, query + ": " + answer);
        Assert.Equal("application/problem+json", answer.Header("Content-Type"));
        Assert.Equal(400, answer.Json.GetProperty("status").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Overdue_replies_are_counted_per_destination_and_state_from_the_deadline_until_answered(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var secretariat = host.Token("secretariat");
        async Task<string> RequestAsync(string country, string destination)
        {
            var token = host.Token("coordinator", country);
            var returnee = await Demo.CreateReturneeAsync(host, token, $"{country}-RR-{destination}");
            var answer = await host.PostAsync($"/api/v1/returnees/{returnee}/readmission-requests", token, new { destination });
            Assert.True(answer.Status == HttpStatusCode.Created, "readmission request: " + answer);
            return answer.Json.GetProperty("id").GetString()!;
        }
        // Georgia: 12 days, silence is not acceptance. Nigeria: 30 days.
        await RequestAsync("AT", "GE");
        await RequestAsync("HR", "GE");
        var answered = await RequestAsync("DE", "GE");
        await RequestAsync("AT", "NG");
        var reply = await host.PostAsync($"/api/v1/readmission-requests/{answered}/reply", host.Token("partner", "GE"), new { accepted = true });
        Assert.True(reply.Status == HttpStatusCode.OK, "reply: " + reply);

        var early = (await host.GetAsync("/api/v1/readmission-requests/overdue", secretariat)).Json;
        Assert.Equal(0, early.GetProperty("destinations").GetArrayLength());

        clock.Advance(TimeSpan.FromDays(13));
        var pending = await host.GetAsync("/api/v1/readmission-requests/overdue", secretariat);
        Assert.True(pending.Status == HttpStatusCode.OK, pending.ToString());
        Assert.Equal((0, 2), (pending.Json.GetProperty("lapsed").GetInt64(), pending.Json.GetProperty("pendingPastDue").GetInt64()));
        var georgia = Assert.Single(pending.Json.GetProperty("destinations").EnumerateArray());
        Assert.Equal("GE", georgia.GetProperty("destination").GetString());
        Assert.Equal(clock.GetUtcNow().AddDays(-1), georgia.GetProperty("oldestReplyDueBy").GetDateTimeOffset());
        Assert.Equal(["AT:0/1", "HR:0/1"], Waiting(georgia));

        // The reminder turns them Lapsed: still overdue, the destination never replied.
        await host.FireDueRemindersAsync();
        var lapsed = (await host.GetAsync("/api/v1/readmission-requests/overdue", host.Token("fro"))).Json;
        Assert.Equal((2, 0), (lapsed.GetProperty("lapsed").GetInt64(), lapsed.GetProperty("pendingPastDue").GetInt64()));
        Assert.Equal(["AT:1/0", "HR:1/0"], Waiting(Assert.Single(lapsed.GetProperty("destinations").EnumerateArray())));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/v1/readmission-requests/overdue", host.Token("admin"))).Status);
    }

    private static string[] Waiting(JsonElement destination) =>
        [.. destination.GetProperty("waiting").EnumerateArray().Select(w =>
            $"{w.GetProperty("country").GetString()}:{w.GetProperty("lapsed").GetInt64()}/{w.GetProperty("pendingPastDue").GetInt64()}")];
}
