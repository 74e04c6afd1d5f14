using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ReturnOps.Client.Webhooks;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

public sealed class SubscriptionTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    [Fact]
    public async Task A_subscription_is_created_for_the_callers_own_country_and_never_shows_its_secret()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var node = Node(cluster, 0);
        var request = new CreateSubscription("https://at.example/hooks", Secret, ["manifest.cleared", "booking.*"]);

        var created = await node.Subscriptions.CreateAsync("AT", "AT", request);

        Assert.Equal(["booking.*", "manifest.cleared"], created.Events);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(created), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, created.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, request.ToString(), StringComparison.Ordinal);
        Assert.Equal([created.Id], (await node.Subscriptions.ListAsync("AT")).Select(s => s.Id));
    }

    [Theory]
    [InlineData("DE", "https://at.example/hooks", Secret, "booking.*", "subscription.country_not_own")]
    [InlineData("AT", "http://at.example/hooks", Secret, "booking.*", "subscription.url_invalid")]
    [InlineData("AT", "https://user:pw@at.example/hooks", Secret, "booking.*", "subscription.url_invalid")]
    [InlineData("AT", "https://at.example/hooks", "short", "booking.*", "subscription.secret_too_short")]
    [InlineData("AT", "https://at.example/hooks", Secret, "Booking!", "subscription.events_invalid")]
    [InlineData("AT", "https://at.example/hooks", Secret, "", "subscription.events_invalid")]
    public async Task A_subscription_that_breaks_a_rule_is_rejected_with_its_code(string country, string url, string secret, string events, string code)
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var node = Node(cluster, 0);

        var rejected = await Assert.ThrowsAsync<SubscriptionRejectedException>(() =>
            node.Subscriptions.CreateAsync("AT", country, new CreateSubscription(url, secret, events.Length == 0 ? [] : [events])));

        Assert.Equal(code, rejected.Code);
        Assert.Empty(await node.Subscriptions.ListAsync("AT"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_rotated_secret_signs_the_next_deliveries_and_a_deleted_subscription_receives_nothing_more(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        var id = Assert.Single(await node.Subscriptions.ListAsync("AT")).Id;

        // Germany cannot touch Austria's subscription, and a short secret is refused: nothing changes.
        Assert.Null(await node.Subscriptions.RotateSecretAsync("DE", id, Secret + "-de"));
        Assert.False(await node.Subscriptions.DeleteAsync("DE", id));
        Assert.Equal("subscription.secret_too_short",
            (await Assert.ThrowsAsync<SubscriptionRejectedException>(() => node.Subscriptions.RotateSecretAsync("AT", id, "short"))).Code);

        // The partner still holds the old secret: deliveries signed with the new one are refused until it is rotated back.
        Assert.NotNull(await node.Subscriptions.RotateSecretAsync("AT", id, Secret + "-rotated"));
        await node.Publish("AT", "op-1", 1, 1);
        await node.Dispatcher.DispatchOnceAsync();
        Assert.True(partner.Rejected(WebhookCheck.BadSignature) > 0);
        await node.Subscriptions.RotateSecretAsync("AT", id, Secret);
        await DrainAsync(node, storage);
        Assert.Equal([1], AppliedPerLane(partner)["op-1"]);

        Assert.True(await node.Subscriptions.DeleteAsync("AT", id));
        await node.Publish("AT", "op-1", 2, 1);
        await DrainAsync(node, storage);
        Assert.Empty(await node.Subscriptions.ListAsync("AT"));
        Assert.Equal([1], AppliedPerLane(partner)["op-1"]);
        Assert.Equal(1, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'unrouted'"));
    }

    /// <summary>
    /// The dispatcher keeps a country's subscriptions for <see cref="MessagingOptions.SubscriptionsCachedFor"/> instead of
    /// reading them at every claim. A change made by another process (a gateway replica, whose service does not share this
    /// dispatcher's cache) is therefore sent to from the first claim after that time, and not before.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_subscription_changed_by_another_process_is_used_from_the_first_claim_after_the_cache_time(string provider)
    {
        var (_, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var gateway = new SubscriptionService(node.Store, new WebhookDestinationPolicy(TestOptions()), Clock, NullLogger<SubscriptionService>.Instance);
        var before = await PartnerAsync();
        var after = await PartnerAsync();
        var old = await node.Subscriptions.CreateAsync("AT", "AT", new CreateSubscription(before.Url.ToString(), Secret, ["*"]));
        await node.Publish("AT", "op-1", 1, 1);
        await node.Dispatcher.DispatchOnceAsync();

        Assert.True(await gateway.DeleteAsync("AT", old.Id));
        await gateway.CreateAsync("AT", "AT", new CreateSubscription(after.Url.ToString(), Secret, ["*"]));
        await node.Publish("AT", "op-1", 2, 1);
        await node.Dispatcher.DispatchOnceAsync();

        // Within the cache time the dispatcher still sends to what it read (as a batch claimed before a change does).
        Assert.Equal([1, 2], AppliedPerLane(before)["op-1"]);
        Assert.Empty(after.Applied);

        Clock.Advance(TestOptions().SubscriptionsCachedFor);
        await node.Publish("AT", "op-1", 3, 1);
        await node.Dispatcher.DispatchOnceAsync();

        Assert.Equal([3], AppliedPerLane(after)["op-1"]);
        Assert.Equal([1, 2], AppliedPerLane(before)["op-1"]);
    }

    /// <summary>
    /// Unrouted is final, so the kept subscriptions are not enough to decide it: a country without subscriptions when the
    /// dispatcher last read them subscribes through another process, and its next message is delivered, not unrouted,
    /// although the kept (empty) list is younger than <see cref="MessagingOptions.SubscriptionsCachedFor"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_message_is_unrouted_only_on_subscriptions_read_after_it_was_written(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var gateway = new SubscriptionService(node.Store, new WebhookDestinationPolicy(TestOptions()), Clock, NullLogger<SubscriptionService>.Instance);
        var partner = await PartnerAsync();
        await node.Publish("AT", "op-1", 1, 1);
        await node.Dispatcher.DispatchOnceAsync();
        Assert.Equal(1, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'unrouted'"));

        await gateway.CreateAsync("AT", "AT", new CreateSubscription(partner.Url.ToString(), Secret, ["*"]));
        await node.Publish("AT", "op-1", 2, 1);
        await node.Dispatcher.DispatchOnceAsync();

        Assert.Equal([2], AppliedPerLane(partner)["op-1"]);
        Assert.Equal(1, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'unrouted'"));
    }

    [Theory]
    [InlineData("booking.*", "booking.confirmed", true)]
    [InlineData("booking.*", "booking.seat.released", true)]
    [InlineData("booking.*", "booking", false)]
    [InlineData("booking.*", "bookings.confirmed", false)]
    [InlineData("booking.confirmed", "booking.confirmed", true)]
    [InlineData("booking.confirmed", "booking.cancelled", false)]
    [InlineData("*", "manifest.cleared", true)]
    public void An_event_filter_matches_exact_types_prefixes_and_everything(string pattern, string type, bool matches) =>
        Assert.Equal(matches, EventFilter.TryCreate([pattern])!.Matches(type));
}
