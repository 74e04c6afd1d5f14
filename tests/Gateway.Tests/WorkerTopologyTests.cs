using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReturnOps.Silo.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>The cluster's start order: a silo worker on an empty database first, a gateway with its background work off later.</summary>
public sealed class WorkerTopologyTests(SharedPostgres postgres) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task A_worker_started_first_leaves_the_gateway_tables_to_a_gateway_that_starts_later_and_delivers_its_outbox()
    {
        var storage = await TestStorage.CreateAsync("Postgres", postgres.GetAsync);
        _owned.Add(storage);
        var worker = SiloWorker.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = storage.Provider,
                ["Storage:ConnectionString"] = storage.ConnectionString,
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });
        await worker.StartAsync();
        _owned.Insert(0, new Stopping(async () =>
        {
            await worker.StopAsync();
            await worker.DisposeAsync();
        }));
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE module = 'gateway'"));

        var gateway = await GatewayHost.StartAsync(storage, settings: new Dictionary<string, string?>
        {
            ["Silo:Dispatcher"] = "false",
            ["Silo:Reminders"] = "false",
        });
        _owned.Insert(0, gateway);
        Assert.Equal(1, await storage.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE module = 'gateway'"));
        Assert.DoesNotContain(gateway.Services.GetServices<IHostedService>(), s => s.GetType().Name == "OutboxDispatcherHost");

        // Announcing writes notifications to the destinations and the secretariat; only the worker can close them.
        await Demo.CreateOperationAsync(gateway, gateway.Token("coordinator", "AT"), TimeProvider.System.GetUtcNow(), ["AL"]);
        Assert.True(await storage.ScalarAsync("SELECT count(*) FROM outbox") > 0, "announcing writes outbox messages");
        await Eventually.True(async () => await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0,
            "the worker to dispatch the messages the gateway wrote");
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    private sealed class Stopping(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop();
    }
}
