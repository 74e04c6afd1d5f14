using Microsoft.Extensions.Logging.Abstractions;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.Storage;
using ReturnOps.Storage.Postgres;
using ReturnOps.TestSupport;

namespace ReturnOps.MessagingBench;

/// <summary>
/// One silo's messaging as <c>AddMessaging</c> wires it, on a fresh database of a PostgreSQL server of the bench's own:
/// the storage provider the grains commit through (outbox rows and NOTIFY), the messaging store, the webhook sender with
/// its Polly pipelines, and the dispatcher's background loop, all on the system clock. Only loopback webhooks are allowed
/// in addition to the defaults, because the receivers listen on 127.0.0.1.
/// </summary>
public sealed class BenchNode : IAsyncDisposable
{
    private readonly WebhookSender _sender;

    private BenchNode(IStorageProvider storage, TimedStore store, WebhookSender sender, OutboxDispatcher dispatcher, SubscriptionService subscriptions, string connectionString)
    {
        Storage = storage;
        Store = store;
        _sender = sender;
        Dispatcher = dispatcher;
        Subscriptions = subscriptions;
        ConnectionString = connectionString;
    }

    public IStorageProvider Storage { get; }
    /// <summary>The dispatcher's store, timed per call.</summary>
    public TimedStore Store { get; }
    public OutboxDispatcher Dispatcher { get; }
    public SubscriptionService Subscriptions { get; }
    public string ConnectionString { get; }

    /// <summary>Overrides <see cref="MessagingOptions.MessagesPerLane"/> (<c>--messages-per-lane</c>); the default otherwise.</summary>
    public static int? MessagesPerLane { get; set; }

    public static MessagingOptions Options()
    {
        var options = new MessagingOptions { AllowLoopbackWebhooks = true };
        options.MessagesPerLane = MessagesPerLane ?? options.MessagesPerLane;
        return options;
    }

    public static async Task<BenchNode> StartAsync(PostgresServer server)
    {
        var connectionString = await server.CreateDatabaseAsync();
        var storage = new PostgresStorageProvider(connectionString, "bench", NullLoggerFactory.Instance);
        await storage.MigrateAsync([.. StorageSchema.Migrations, .. MessagingSchema.Migrations], CancellationToken.None);
        var options = Options();
        var messaging = MessagingServiceCollectionExtensions.For(storage);
        var store = new TimedStore(messaging);
        var destinations = new WebhookDestinationPolicy(options);
        var sender = new WebhookSender(MessagingServiceCollectionExtensions.CreateHttpClient(destinations), options, TimeProvider.System);
        var cache = new SubscriptionCache(messaging, options, TimeProvider.System);
        var dispatcher = new OutboxDispatcher(store, cache, sender, GrainMessenger.None, options, TimeProvider.System, "bench",
            NullLogger<OutboxDispatcher>.Instance);
        var subscriptions = new SubscriptionService(messaging, destinations, TimeProvider.System, NullLogger<SubscriptionService>.Instance, cache);
        return new BenchNode(storage, store, sender, dispatcher, subscriptions, connectionString);
    }

    /// <summary>The server's postmaster process id, from <c>postmaster.pid</c> in its data directory.</summary>
    public async Task<int> PostmasterAsync()
    {
        await using var command = Storage.DataSource.CreateCommand("SHOW data_directory");
        var directory = (string)(await command.ExecuteScalarAsync())!;
        var first = (await File.ReadAllLinesAsync(Path.Combine(directory, "postmaster.pid")))[0];
        return int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Counts outbox rows in <paramref name="status"/>, straight from the table.</summary>
    public async Task<long> CountAsync(string status)
    {
        await using var command = Storage.DataSource.CreateCommand("SELECT count(*) FROM outbox WHERE status = @status");
        var parameter = command.CreateParameter();
        parameter.ParameterName = "status";
        parameter.Value = status;
        command.Parameters.Add(parameter);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync();
        await _sender.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
