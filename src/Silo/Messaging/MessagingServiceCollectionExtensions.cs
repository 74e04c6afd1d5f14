using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReturnOps.Grains.Hosting;
using ReturnOps.Silo.Hosting;
using ReturnOps.Storage;
using ReturnOps.Storage.Postgres;
using ReturnOps.Storage.Sqlite;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Inbox;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;

namespace ReturnOps.Silo.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the dispatcher, the webhook sender and the subscription, delivery and inbox services over the
    /// process's database (<see cref="IStorageProvider"/>). A silo host starts <see cref="OutboxDispatcher"/> after Orleans. Register a
    /// <see cref="GrainMessageRoutes"/> singleton for grain-to-grain messages.
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, Action<MessagingOptions>? configure = null)
    {
        var options = services.AddOptions<MessagingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        // A lane stops sending AttemptTimeout × (InProcessRetries + 2) before its claim ends, so that a claim never
        // expires under a send. A shorter lease stops every lane before its first message: nothing is delivered,
        // claims are taken and handed back in a loop, and nothing says why (docs/reliability.md). Refuse it at start.
        options.Validate(o => o.ClaimLease > o.AttemptTimeout * (o.InProcessRetries + 2),
                "Messaging:ClaimLease must be longer than Messaging:AttemptTimeout × (Messaging:InProcessRetries + 2), " +
                "the time a lane keeps in hand before its claim ends; otherwise no message is ever sent.")
            .ValidateOnStart();
        services.AddSingleton(sp => For(sp.GetRequiredService<IStorageProvider>()));
        services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<IMessagingStore>());
        services.AddSingleton<ISubscriptionStore>(sp => sp.GetRequiredService<IMessagingStore>());
        services.AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<IMessagingStore>());
        services.AddSingleton<IInboxStore>(sp => sp.GetRequiredService<IMessagingStore>());
        services.AddSingleton(sp => new WebhookDestinationPolicy(Options(sp)));
        services.AddSingleton(sp => new WebhookSender(CreateHttpClient(sp.GetRequiredService<WebhookDestinationPolicy>()), Options(sp), Clock(sp)));
        // One per process: the dispatcher reads through it, and the subscription service forgets what it changes.
        services.AddSingleton(sp => new SubscriptionCache(sp.GetRequiredService<ISubscriptionStore>(), Options(sp), Clock(sp)));
        // A process without routes (a gateway, whose dispatcher only wakes) sends no grain message: each would be dead.
        services.AddSingleton(sp => new OutboxDispatcher(
            sp.GetRequiredService<IOutboxStore>(), sp.GetRequiredService<SubscriptionCache>(), sp.GetRequiredService<WebhookSender>(),
            new GrainMessenger(sp.GetRequiredService<IGrainFactory>(), sp.GetService<GrainMessageRoutes>() ?? new GrainMessageRoutes()), Options(sp), Clock(sp),
            sp.GetRequiredService<SiloOptions>().ReplicaName, Loggers(sp).CreateLogger<OutboxDispatcher>()));
        services.AddSingleton(sp => new SubscriptionService(sp.GetRequiredService<ISubscriptionStore>(),
            sp.GetRequiredService<WebhookDestinationPolicy>(), Clock(sp),
            Loggers(sp).CreateLogger<SubscriptionService>(), sp.GetRequiredService<SubscriptionCache>()));
        services.AddSingleton(sp => new DeliveryService(sp.GetRequiredService<IDeliveryStore>(), sp.GetRequiredService<OutboxDispatcher>(), Clock(sp)));
        services.AddSingleton(sp => new InboxService(sp.GetRequiredService<IInboxStore>(), Clock(sp)));
        return services;
    }

    /// <summary>The messaging store for the process's database.</summary>
    public static IMessagingStore For(IStorageProvider storage) => storage switch
    {
        PostgresStorageProvider postgres => new MessagingStore(postgres, MessagingSql.Postgres),
        SqliteStorageProvider sqlite => new MessagingStore(sqlite, MessagingSql.Sqlite),
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage.Name, "Messaging supports the Postgres and Sqlite providers."),
    };

    /// <summary>
    /// One client for every partner: Polly bounds each attempt, so the client's own timeout is off. Every connection goes
    /// through <paramref name="destinations"/>, which checks the addresses it connects to; no proxy, since the check would
    /// then see the proxy's address instead of the partner's.
    /// </summary>
    public static HttpClient CreateHttpClient(WebhookDestinationPolicy destinations) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = destinations.ConnectAsync,
    }, disposeHandler: true)
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static MessagingOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<MessagingOptions>>().Value;

    /// <summary>The domain's clock: retry schedules and leases move with it in tests, never with Orleans' own.</summary>
    private static TimeProvider Clock(IServiceProvider sp) => sp.GetKeyedService<TimeProvider>(DomainClock.Key) ?? TimeProvider.System;

    private static ILoggerFactory Loggers(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
