using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReturnOps.Grains.Messaging;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>A subscription secret leaves the server only as an HMAC.</summary>
public sealed class SecretTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    [Fact]
    public async Task Neither_logs_nor_delivery_records_ever_contain_a_secret()
    {
        var (storage, cluster) = await StartAsync("Postgres");
        var log = new RecordingLogger();
        var store = MessagingServiceCollectionExtensions.For(cluster.Silos[0].ServiceProvider.GetRequiredService<IStorageProvider>());
        var options = TestOptions();
        var destinations = new WebhookDestinationPolicy(options);
        await using var sender = new WebhookSender(MessagingServiceCollectionExtensions.CreateHttpClient(destinations), options, Clock);
        var cache = new SubscriptionCache(store, options, Clock);
        await using var dispatcher = new OutboxDispatcher(store, cache, sender, GrainMessenger.None, options, Clock, "silo-1",
            log.CreateLogger<OutboxDispatcher>());
        var subscriptions = new SubscriptionService(store, destinations, Clock, log.CreateLogger<SubscriptionService>(), cache);
        var partner = await PartnerAsync();
        await subscriptions.CreateAsync("AT", "AT", new CreateSubscription(partner.Url.ToString(), Secret, ["*"]));
        partner.Behaviour = PartnerBehaviour.Fail;
        await cluster[0].GetGrain<IPublisherGrain>("p").Publish(Destination.Country("AT"), "op-1", "booking.confirmed", 1, 2);

        for (var round = 0; round < 20; round++)
        {
            await dispatcher.DispatchOnceAsync();
            Clock.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.NotEmpty(log.Lines);
        Assert.All(log.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
        Assert.Equal(0, await storage.ScalarAsync($"SELECT count(*) FROM outbox WHERE last_error LIKE '%{Secret}%'"));
    }

    private sealed class RecordingLogger : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception) + " " + exception);

        public void Dispose()
        {
        }
    }
}
