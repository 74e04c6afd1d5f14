using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ReturnOps.PartnerSimulator;
using ReturnOps.Runtime;
using ReturnOps.Runtime.Storage;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Inbox;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>One replica's messaging: the dispatcher and services over one silo's database connection.</summary>
public sealed class MessagingNode(GrainRuntime runtime, IMessagingStore store, WebhookSender sender, OutboxDispatcher dispatcher, TimeProvider clock)
{
    public GrainRuntime Runtime { get; } = runtime;
    public IMessagingStore Store { get; } = store;
    public OutboxDispatcher Dispatcher { get; } = dispatcher;
    public WebhookSender Sender { get; } = sender;
    public SubscriptionService Subscriptions { get; } = new(store, clock, NullLogger<SubscriptionService>.Instance);
    public DeliveryService Deliveries { get; } = new(store, dispatcher, clock);
    public InboxService Inbox { get; } = new(store, clock);

    public Task Publish(string country, string lane, int first, int count, string type = "booking.confirmed") =>
        Runtime.GetGrain<IPublisherGrain>("publisher-" + lane).Publish(Destination.Country(country), lane, type, first, count);
}

/// <summary>Starts silos with messaging, and partners, on the provider a test names; cleans everything up.</summary>
public abstract class MessagingTestBase(SharedPostgres postgres) : IAsyncLifetime
{
    protected const string Secret = "a-secret-of-at-least-thirty-two-characters";

    private readonly List<IAsyncDisposable> _owned = [];

    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    protected FakeClock Clock { get; } = new();

    /// <summary>Small bounds so that tests reach every state in a few rounds; time moves only with <see cref="Clock"/>.</summary>
    protected static MessagingOptions TestOptions() => new()
    {
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
        var cluster = await TestCluster.StartAsync(storage,
            b => b.AddGrains(typeof(PublisherGrain).Assembly).AddJsonContext(SiloTestsJsonContext.Default).AddMessagingSchema().AddMigrations([Clearances]),
            silos, clock: Clock);
        _owned.Insert(0, cluster);
        return (storage, cluster);
    }

    protected MessagingNode Node(GrainRuntime runtime, MessagingOptions? options = null, Func<IMessagingStore, IMessagingStore>? wrap = null,
        GrainMessageRoutes? routes = null)
    {
        options ??= TestOptions();
        var store = MessagingServiceCollectionExtensions.For(runtime.Storage, NullLoggerFactory.Instance);
        store = wrap?.Invoke(store) ?? store;
        var sender = new WebhookSender(MessagingServiceCollectionExtensions.CreateHttpClient(), options, Clock);
        var dispatcher = new OutboxDispatcher(store, sender, options, Clock, runtime.Options.SiloName, NullLogger<OutboxDispatcher>.Instance,
            runtime, routes);
        _owned.Insert(0, dispatcher);
        _owned.Add(sender);
        return new MessagingNode(runtime, store, sender, dispatcher, Clock);
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
