using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Runtime.Hosting;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>
/// One replica as a service composes it: the grain runtime with the messaging schema, <c>AddMessaging</c>
/// (dispatcher, webhook sender, subscriptions) on the system clock, the dispatcher started after the runtime.
/// </summary>
internal sealed class MessagingHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private MessagingHost(ServiceProvider services, GrainRuntime runtime)
    {
        _services = services;
        Runtime = runtime;
    }

    public GrainRuntime Runtime { get; }

    public OutboxDispatcher Dispatcher => _services.GetRequiredService<OutboxDispatcher>();

    public SubscriptionService Subscriptions => _services.GetRequiredService<SubscriptionService>();

    public MessagingOptions Options => _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagingOptions>>().Value;

    public static async Task<MessagingHost> StartAsync(TestStorage storage, Action<MessagingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddGrainRuntime(b => b
            .AddGrains(typeof(NoopGrain).Assembly)
            .AddJsonContext(BenchJsonContext.Default)
            .AddMessagingSchema()
            .UseStorage(storage.Provider, storage.ConnectionString));
        services.AddMessaging(configure);
        var provider = services.BuildServiceProvider();
        var runtime = provider.GetRequiredService<GrainRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        await provider.GetRequiredService<OutboxDispatcher>().StartAsync(CancellationToken.None);
        return new MessagingHost(provider, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync();
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
