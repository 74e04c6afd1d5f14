using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Grains.Returnees;
using ReturnOps.Silo.Messaging;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Subscriptions, dead letters and grain-to-grain messages through the co-hosted outbox dispatcher.</summary>
public sealed class MessagingTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Secret = "a-secret-of-at-least-thirty-two-characters";

    /// <summary>Port 9 (discard) on loopback: nothing listens, every delivery is refused at once.</summary>
    private const string RefusedUrl = "http://127.0.0.1:9/hooks";

    [Fact]
    public async Task A_subscription_is_created_for_the_callers_country_and_its_secret_never_comes_back()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");

        var created = await host.PostAsync("/api/v1/subscriptions", at, new { url = RefusedUrl, secret = Secret, events = new[] { "booking.*" } });

        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        Assert.Equal("AT", created.Json.GetProperty("country").GetString());
        Assert.Equal(["booking.*"], created.Json.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(created.Json.TryGetProperty("secret", out _));
        Assert.DoesNotContain(Secret, created.Body);
        var listed = await host.GetAsync("/api/v1/subscriptions", at);
        Assert.Equal(created.Json.GetProperty("id").GetString(), Assert.Single(listed.Json.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.DoesNotContain(Secret, listed.Body);
        Assert.Empty((await host.GetAsync("/api/v1/subscriptions", host.Token("partner", "AL"))).Json.GetProperty("items").EnumerateArray());

        var shortSecret = await host.PostAsync("/api/v1/subscriptions", at, new { url = RefusedUrl, secret = "short", events = new[] { "*" } });
        Assert.Equal(422, shortSecret.Code);
        Assert.Equal("subscription.secret_too_short", shortSecret.Json.GetProperty("rule").GetString());
        Assert.Contains("32", shortSecret.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var plainHttp = await host.PostAsync("/api/v1/subscriptions", at, new { url = "http://example.org/hooks", secret = Secret, events = new[] { "*" } });
        Assert.Equal("subscription.url_invalid", plainHttp.Json.GetProperty("rule").GetString());
        var noEvents = await host.PostAsync("/api/v1/subscriptions", at, new { url = RefusedUrl, secret = Secret, events = Array.Empty<string>() });
        Assert.True(noEvents.Code == 422, noEvents.ToString());
        Assert.Equal("subscription.events_invalid", noEvents.Json.GetProperty("rule").GetString());

        // Rotation and deletion: only by the owning country, audited, the secret never echoed.
        var id = created.Json.GetProperty("id").GetString();
        var al = host.Token("partner", "AL");
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Put, $"/api/v1/subscriptions/{id}/secret", al, new { secret = Secret + "-al" })).Code);
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/subscriptions/{id}", al, null)).Code);
        var tooShort = await host.SendAsync(HttpMethod.Put, $"/api/v1/subscriptions/{id}/secret", at, new { secret = "short" });
        Assert.Equal("subscription.secret_too_short", tooShort.Json.GetProperty("rule").GetString());
        var rotated = await host.SendAsync(HttpMethod.Put, $"/api/v1/subscriptions/{id}/secret", at, new { secret = Secret + "-rotated" });
        Assert.True(rotated.Status == HttpStatusCode.OK, rotated.ToString());
        Assert.DoesNotContain("rotated", rotated.Body);
        Assert.Equal(HttpStatusCode.NoContent, (await host.SendAsync(HttpMethod.Delete, $"/api/v1/subscriptions/{id}", at, null)).Status);
        Assert.Empty((await host.GetAsync("/api/v1/subscriptions", at)).Json.GetProperty("items").EnumerateArray());
        var audit = await host.GetAsync("/api/v1/audit?limit=500", host.Token("fro"));
        foreach (var action in new[] { "subscription.create", "subscription.rotate-secret", "subscription.delete" })
        {
            Assert.Contains(action, audit.Body);
        }
        Assert.DoesNotContain(Secret, audit.Body);
    }

    [Fact]
    public async Task A_dead_delivery_is_listed_without_its_payload_and_replayed()
    {
        var host = await StartAsync();
        var admin = host.Token("admin");
        await host.Storage.ExecuteAsync(
            "INSERT INTO outbox (message_id, destination, lane, type, payload, occurred_ms, next_attempt_ms) VALUES " +
            "('dead-1', 'fax:AT', 'op-dead', 'booking.confirmed', '{\"secretPayload\":1}', 0, 0)");
        await host.Services.GetRequiredService<OutboxDispatcher>().DispatchOnceAsync(TestContext.Current.CancellationToken);

        var dead = await EventuallyAsync(host, "/api/v1/deliveries?status=dead", admin, items => items.Any(i => i.GetProperty("messageId").GetString() == "dead-1"));
        var item = dead.Single(i => i.GetProperty("messageId").GetString() == "dead-1");
        Assert.Equal("fax:AT", item.GetProperty("destination").GetString());
        Assert.False(item.TryGetProperty("payload", out _));
        Assert.False(string.IsNullOrEmpty(item.GetProperty("lastError").GetString()));
        Assert.Equal(200, (await host.GetAsync("/api/v1/deliveries", host.Token("secretariat"))).Code);

        var replayed = await host.PostAsync("/api/v1/deliveries/dead-1/replay", admin, new { });
        Assert.True(replayed.Status == HttpStatusCode.OK, replayed.ToString());
        Assert.Equal("pending", replayed.Json.GetProperty("status").GetString());
        Assert.Equal(404, (await host.PostAsync("/api/v1/deliveries/no-such-message/replay", admin, new { })).Code);
        Assert.Equal(400, (await host.GetAsync("/api/v1/deliveries?status=lost", admin)).Code);
        // Undeliverable as written: the dispatcher puts it back among the dead letters.
        await EventuallyAsync(host, "/api/v1/deliveries?status=dead", admin, items => items.Any(i => i.GetProperty("messageId").GetString() == "dead-1"));
    }

    [Fact]
    public async Task The_early_warning_reaches_the_operation_through_the_dispatcher_and_applies_once()
    {
        var host = await StartAsync();
        var at = host.Token("coordinator", "AT");
        var admin = host.Token("admin");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-MSG-1");
        var booked = await host.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], 2, 1));
        Assert.Equal("Confirmed", booked.Json.GetProperty("status").GetString());

        // The returnee's turn alone, without the gateway's synchronous relay: only the outbox carries the warning.
        var grain = host.Grains.GetGrain<IReturneeGrain>(returnee);
        var view = await grain.Get();
        var update = await grain.Update("AT", view!.Case! with { AppealPending = true, AppealSuspensive = true });
        Assert.NotNull(update.SuspendedIn);

        await EventuallyAsync(host, "/api/v1/deliveries?status=delivered&limit=500", admin,
            items => items.Any(i => i.GetProperty("destination").GetString() == $"grain:return-operation/{operation}"));
        var bookings = await host.GetAsync($"/api/v1/operations/{operation}/bookings", at);
        Assert.Equal("Suspended", Assert.Single(bookings.Json.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(2L, await SuspendedNoticesAsync(host));

        // The gateway's PATCH relays at once and the dispatcher delivers the same warning again: still applied once.
        var current = await host.GetAsync($"/api/v1/returnees/{returnee}", at);
        var patched = await host.SendAsync(HttpMethod.Patch, $"/api/v1/returnees/{returnee}", at, "{\"appealSuspensive\":true,\"sex\":\"F\"}",
            contentType: "application/merge-patch+json", ifMatch: current.Header("ETag"));
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        await EventuallyAsync(host, "/api/v1/deliveries?status=delivered&limit=500", admin,
            items => items.Count(i => i.GetProperty("destination").GetString() == $"grain:return-operation/{operation}") == 2);
        Assert.Equal(2L, await SuspendedNoticesAsync(host));
    }

    /// <summary>The operation's <c>booking.suspended</c> notices: organiser and carriers, once per suspension.</summary>
    private static Task<long> SuspendedNoticesAsync(GatewayHost host) =>
        host.Storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE type = 'booking.suspended'");

    private static async Task<List<JsonElement>> EventuallyAsync(GatewayHost host, string path, string token, Func<List<JsonElement>, bool> done)
    {
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();
        for (var i = 0; ; i++)
        {
            var answer = await host.GetAsync(path, token);
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
            var items = answer.Json.GetProperty("items").EnumerateArray().ToList();
            if (done(items))
            {
                return items;
            }
            Assert.True(i < 1000, string.Create(CultureInfo.InvariantCulture, $"{path} never satisfied the test: {answer.Body}"));
            dispatcher.Wake();
            await Task.Delay(10, TestContext.Current.CancellationToken); // a poll for the background dispatcher, bounded above
        }
    }
}
