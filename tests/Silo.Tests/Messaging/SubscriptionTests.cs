using System.Text.Json;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

public sealed class SubscriptionTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    [Fact]
    public async Task A_subscription_is_created_for_the_callers_own_country_and_never_shows_its_secret()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        var node = Node(cluster[0]);
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
        var node = Node(cluster[0]);

        var rejected = await Assert.ThrowsAsync<SubscriptionRejectedException>(() =>
            node.Subscriptions.CreateAsync("AT", country, new CreateSubscription(url, secret, events.Length == 0 ? [] : [events])));

        Assert.Equal(code, rejected.Code);
        Assert.Empty(await node.Subscriptions.ListAsync("AT"));
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
