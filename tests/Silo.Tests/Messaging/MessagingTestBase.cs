using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using InProcessSiloHandle = Orleans.TestingHost.InProcessSiloHandle;
using ReturnOps.Grains.Messaging;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Inbox;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>
/// One replica's messaging: the dispatcher and services over one silo's database connection (its
/// <see cref="IStorageProvider"/>), delivering grain messages through that silo's grain factory.
/// </summary>
public sealed class MessagingNode(IGrainFactory grains, IMessagingStore store, WebhookDestinationPolicy destinations, WebhookSender sender,
    SubscriptionCache subscriptions, OutboxDispatcher dispatcher, TimeProvider clock)
{
    public IGrainFactory Grains { get; } = grains;
    public IMessagingStore Store { get; } = store;
    public OutboxDispatcher Dispatcher { get; } = dispatcher;
    public WebhookSender Sender { get; } = sender;
    /// <summary>In the dispatcher's process, as <c>AddMessaging</c> wires it: a change is seen at the dispatcher's next claim.</summary>
    public SubscriptionService Subscriptions { get; } = new(store, destinations, clock, NullLogger<SubscriptionService>.Instance, subscriptions);
    public DeliveryService Deliveries { get; } = new(store, dispatcher, clock);
    public InboxService Inbox { get; } = new(store, clock);

    public Task Publish(string country, string lane, int first, int count, string type = "booking.confirmed") =>
        Grains.GetGrain<IPublisherGrain>("publisher-" + lane).Publish(Destination.Country(country), lane, type, first, count);
}

/// <summary>Starts silos with messaging, and partners, on the provider a test names; cleans everything up.</summary>
public abstract class MessagingTestBase(SharedPostgres postgres) : IAsyncLifetime
{
    protected const string Secret = "a-secret-of-at-least-thirty-two-characters";

    private readonly List<IAsyncDisposable> _owned = [];

    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    /// <summary>The domain's clock, shared by the silos, the dispatchers and the partners.</summary>
    protected FakeTimeProvider Clock { get; } = new(TestCluster.Start);

    /// <summary>
    /// Small bounds so that tests reach every state in a few rounds; time moves only with <see cref="Clock"/>. Webhooks to
    /// loopback are allowed: the partners listen on 127.0.0.1.
    /// </summary>
    protected static MessagingOptions TestOptions() => new()
    {
        AllowLoopbackWebhooks = true,
        InProcessRetries = 1,
        InProcessRetryDelay = TimeSpan.Zero,
        AttemptTimeout = TimeSpan.FromSeconds(5),
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        RetryMaxDelay = TimeSpan.FromSeconds(30),
        BreakerBreakDuration = TimeSpan.FromSeconds(30),
        MaxAttempts = 5,
        Random = new Random(7),
    };

    protected static readonly Migration Clearances = new("silo-tests", 1, "clearances",
        "CREATE TABLE clearances (id text PRIMARY KEY, manifest text NOT NULL)",
        "CREATE TABLE clearances (id TEXT PRIMARY KEY, manifest TEXT NOT NULL)");

    protected async Task<(TestStorage Storage, TestCluster Cluster)> StartAsync(string provider, int silos = 1)
    {
        var storage = await TestStorage.CreateAsync(provider, postgres.GetAsync);
        _owned.Add(storage);
        var cluster = await TestCluster.StartAsync(storage, silos, silo => silo.AddSiloTestGrains(),
            [.. MessagingSchema.Migrations, Clearances], Clock);
        _owned.Insert(0, cluster);
        return (storage, cluster);
    }

    /// <summary>
    /// The messaging of <paramref name="silo"/> as its host wires it (<c>AddMessaging</c>): over the silo's own database
    /// connection, with the silo's grain factory for grain routes, and claims under the name <c>silo-{n}</c> (n from 1).
    /// <paramref name="wrap"/> wraps the dispatcher's outbox store (the services use the store itself).
    /// </summary>
    protected MessagingNode Node(TestCluster cluster, int silo, MessagingOptions? options = null, Func<IOutboxStore, IOutboxStore>? wrap = null,
        GrainMessageRoutes? routes = null) =>
        Node(cluster.Silos[silo], $"silo-{silo + 1}", options, wrap, routes);

    private MessagingNode Node(InProcessSiloHandle silo, string owner, MessagingOptions? options, Func<IOutboxStore, IOutboxStore>? wrap,
        GrainMessageRoutes? routes)
    {
        options ??= TestOptions();
        var grains = silo.ServiceProvider.GetRequiredService<IGrainFactory>();
        var store = MessagingServiceCollectionExtensions.For(silo.ServiceProvider.GetRequiredService<IStorageProvider>());
        var destinations = new WebhookDestinationPolicy(options);
        var sender = new WebhookSender(MessagingServiceCollectionExtensions.CreateHttpClient(destinations), options, Clock);
        var subscriptions = new SubscriptionCache(store, options, Clock);
        var dispatcher = new OutboxDispatcher(wrap?.Invoke(store) ?? store, subscriptions, sender, new GrainMessenger(grains, routes ?? new GrainMessageRoutes()), options, Clock, owner,
            NullLogger<OutboxDispatcher>.Instance);
        _owned.Insert(0, dispatcher);
        _owned.Add(sender);
        return new MessagingNode(grains, store, destinations, sender, subscriptions, dispatcher, Clock);
    }

    protected async Task<Partner> PartnerAsync()
    {
        var partner = await Partner.StartAsync(Secret, Clock);
        _owned.Insert(0, partner);
        return partner;
    }

    protected static Task Subscribe(MessagingNode node, string country, Partner partner, params string[] events) =>
        node.Subscriptions.CreateAsync(country, country, new CreateSubscription(partner.Url.ToString(), Secret, events.Length == 0 ? ["*"] : events));

    /// <summary>
    /// Dispatches until nothing is pending, moving the clock past retry and circuit delays whenever a round
    /// finds nothing due. Fails if that takes more than <paramref name="rounds"/> rounds.
    /// </summary>
    protected async Task DrainAsync(MessagingNode node, TestStorage storage, int rounds = 100)
    {
        for (var round = 0; round < rounds; round++)
        {
            if (await node.Dispatcher.DispatchOnceAsync() > 0)
            {
                continue;
            }
            if (await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0)
            {
                return;
            }
            Clock.Advance(TimeSpan.FromSeconds(31));
        }
        var stuck = await node.Deliveries.ListAsync(DeliveryStatus.Pending);
        throw new TimeoutException($"The outbox still has pending messages after {rounds} dispatch rounds: " +
            string.Join("; ", stuck.Select(d => $"{d.MessageId} attempts {d.Attempts} error {d.LastError}")));
    }

    protected static (string Lane, int Seq) Parse(ReceivedDelivery delivery)
    {
        using var data = JsonDocument.Parse(delivery.Data);
        return (data.RootElement.GetProperty("lane").GetString()!, data.RootElement.GetProperty("seq").GetInt32());
    }

    /// <summary>Sequence numbers applied per lane, in the order the partner applied them.</summary>
    protected static Dictionary<string, List<int>> AppliedPerLane(Partner partner) =>
        partner.Applied.Select(Parse).GroupBy(d => d.Lane).ToDictionary(g => g.Key, g => g.Select(d => d.Seq).ToList());

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
