using System.Net;
using Ical.Net;
using Ical.Net.CalendarComponents;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests.Calendars;

/// <summary>
/// Calendar feeds (RFC 5545): read back with Ical.Net's own parser, as a calendar client would, from the address the feed was issued
/// at, without a token; a revoked or replaced secret is 404.
/// </summary>
public sealed class CalendarFeedTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Feed = "/api/v1/calendar-feed";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_calendar_parser_reads_the_coordinators_deadline_departure_return_and_reply_due_in_utc(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var at = host.Token("coordinator", "AT");
        var now = clock.GetUtcNow();
        var operation = await Demo.CreateOperationAsync(host, at, now, ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-CAL-1");
        var request = (await host.PostAsync($"/api/v1/returnees/{returnee}/readmission-requests", at, new { destination = "AL" })).Json;

        var (calendar, body) = await ReadFeedAsync(host, await IssueAsync(host, at));

        Assert.Equal(4, calendar.Events.Count);
        var events = calendar.Events.ToDictionary(e => e.Uid!);
        AssertAt(events[$"{operation}-deadline@returnops"], now.AddDays(10), "BookingDeadline");
        var departure = events[$"{operation}-departure@returnops"];
        AssertAt(departure, now.AddDays(20), "Departure");
        Assert.Equal("VIE (Europe/Vienna)", departure.Location);
        // 2026-12-12 08:00 UTC is 09:00 in Vienna (CET, UTC+1).
        Assert.Contains("VIE: 2026-12-12 09:00 local time (Europe/Vienna, UTC+01:00)", departure.Description, StringComparison.Ordinal);
        var handOver = events[$"{operation}-return@returnops"];
        AssertAt(handOver, now.AddDays(20).AddHours(3), "Return");
        Assert.Equal("TIA (Europe/Tirane)", handOver.Location);
        var reply = events[$"{request.GetProperty("id").GetString()}-reply@returnops"];
        AssertAt(reply, request.GetProperty("replyDueBy").GetDateTimeOffset(), "ReadmissionReplyDue");
        // An announced operation's dates may still move; a reply's due date is the agreement's.
        Assert.Equal(EventStatus.Confirmed, reply.Status);
        Assert.All([departure, handOver], e => Assert.Equal(EventStatus.Tentative, e.Status));
        // RFC 5545 3.3.5, form 2: UTC times end in Z and carry no TZID.
        Assert.Contains("DTSTART:20261212T080000Z", body, StringComparison.Ordinal);
        Assert.DoesNotContain("TZID", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_revoked_or_replaced_calendar_secret_gets_404_and_the_feed_needs_no_token_but_issuing_does(string provider)
    {
        var host = await StartAsync(provider);
        var hr = host.Token("coordinator", "HR");
        var first = await IssueAsync(host, hr);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(first, null)).Status);
        Assert.True((await host.GetAsync(Feed, hr)).Json.GetProperty("active").GetBoolean());

        var second = await IssueAsync(host, hr);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync(first, null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(second, null)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, Feed, hr)).Status);
        var revoked = await host.GetAsync(second, null);
        Assert.Equal(HttpStatusCode.NotFound, revoked.Status);
        Assert.Equal("application/problem+json", revoked.ContentHeaders?.ContentType?.MediaType);
        Assert.False((await host.GetAsync(Feed, hr)).Json.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/api/v1/calendars/not-a-secret", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(HttpMethod.Put, Feed, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Put, Feed, host.Token("fro"))).Status);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Each_feed_holds_the_callers_own_operations_only(string provider)
    {
        var clock = GatewayHost.NewClock();
        var host = await StartAsync(provider, clock);
        var at = host.Token("coordinator", "AT");
        var toAlbania = await Demo.CreateOperationAsync(host, at, clock.GetUtcNow(), ["AL"]);
        var draft = await Demo.CreateOperationAsync(host, at, clock.GetUtcNow(), ["RS"], announce: false);
        var monitored = await Demo.CreateOperationAsync(host, at, clock.GetUtcNow(), ["RS"]);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync($"/api/v1/operations/{monitored}/monitors", at, new { monitor = "monitor-1" })).Status);

        Assert.Equal(Sorted(draft, monitored, toAlbania), await OperationsInFeedAsync(host, at));
        Assert.Equal(Sorted(toAlbania), await OperationsInFeedAsync(host, host.Token("partner", "AL")));
        Assert.Equal(Sorted(monitored), await OperationsInFeedAsync(host, host.Token("monitor", subject: "monitor-1")));
        Assert.Equal(Sorted(monitored, toAlbania), await OperationsInFeedAsync(host, host.Token("secretariat")));
        Assert.Empty(await OperationsInFeedAsync(host, host.Token("coordinator", "HR")));
    }

    private static async Task<string> IssueAsync(GatewayHost host, string token)
    {
        var issued = await host.SendAsync(HttpMethod.Put, Feed, token);
        Assert.True(issued.Status == HttpStatusCode.OK, "issuing a feed: " + issued);
        var url = new Uri(issued.Json.GetProperty("url").GetString()!);
        Assert.Equal(host.Address.Authority, url.Authority);
        return url.AbsolutePath;
    }

    private static async Task<(Calendar Calendar, string Body)> ReadFeedAsync(GatewayHost host, string path)
    {
        var feed = await host.GetAsync(path, null);
        Assert.True(feed.Status == HttpStatusCode.OK, "reading the feed: " + feed);
        Assert.Equal("text/calendar", feed.ContentHeaders?.ContentType?.MediaType);
        return (Calendar.Load(feed.Body) ?? throw new InvalidOperationException("Ical.Net read no calendar: " + feed.Body), feed.Body);
    }

    private static async Task<string[]> OperationsInFeedAsync(GatewayHost host, string token)
    {
        var (calendar, _) = await ReadFeedAsync(host, await IssueAsync(host, token));
        return [.. calendar.Events.Select(e => e.Uid!).Where(u => u.EndsWith("-departure@returnops", StringComparison.Ordinal))
            .Select(u => u[..^"-departure@returnops".Length]).Order(StringComparer.Ordinal)];
    }

    private static string[] Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    private static void AssertAt(CalendarEvent calendarEvent, DateTimeOffset expected, string category)
    {
        Assert.True(calendarEvent.Start!.IsUtc, calendarEvent.Uid + " is not in UTC");
        Assert.Equal(expected.UtcDateTime, calendarEvent.Start.AsUtc);
        Assert.Equal([category], calendarEvent.Categories);
    }
}
