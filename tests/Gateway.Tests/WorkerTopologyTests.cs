using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReturnOps.Gateway.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// The cluster's start order: a silo replica on an empty database first, a gateway that holds no silo later. Only the silo
/// has background work: it delivers the outbox and fires the reminders of the grains the gateway's calls changed.
/// </summary>
public sealed class WorkerTopologyTests(SharedPostgres postgres) : IAsyncLifetime
{
    private ClusterReplicas _cluster = null!;

    [Fact]
    public async Task A_worker_started_first_leaves_the_gateway_tables_to_a_gateway_that_starts_later_and_delivers_its_outbox()
    {
        var storage = _cluster.Storage;
        // No retention delay: the operation's retention reminder falls due as soon as it is cancelled.
        await _cluster.StartSiloAsync(new Dictionary<string, string?> { ["Grains:RetentionDays"] = "0" });
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE module = 'gateway'"));

        var gateway = await _cluster.StartGatewayAsync();
        Assert.Equal(GatewaySchema.Migrations.Count, await storage.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE module = 'gateway'"));
        Assert.DoesNotContain(gateway.Services.GetServices<IHostedService>(), s => s.GetType().Name == "OutboxDispatcherHost");
        // No silo in the gateway: no grains, no reminders of its own.
        Assert.Null(gateway.Services.GetService<ILocalSiloDetails>());

        // Announcing writes notifications to the destinations and the secretariat; only the worker can close them.
        var at = gateway.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(gateway, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        Assert.True(await storage.ScalarAsync("SELECT count(*) FROM outbox") > 0, "announcing writes outbox messages");
        await Eventually.True(async () => await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0,
            "the worker to dispatch the messages the gateway wrote");

        // Cancelling starts retention; only the worker's reminder service can erase the booked returnee. A reminder registered
        // as due now ticks first one period (Orleans' minimum, a minute) later: Orleans counts a due time already past from
        // the next period.
        var returnee = await Demo.CreateReturneeAsync(gateway, at, "AT-WORKER-1");
        Assert.Equal(HttpStatusCode.Created, (await gateway.PostAsync($"/api/v1/operations/{operation}/bookings", at, Demo.Booking([returnee], 2, 1))).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/v1/operations/{operation}/status", at, new { to = "Cancelled", reason = "aircraft unavailable" })).Status);
        await Eventually.True(async () => (await gateway.GetAsync($"/api/v1/returnees/{returnee}", at)).Json.GetProperty("status").GetString() == "Erased",
            "the worker to fire the retention reminder and erase the returnee", TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_gateway_without_a_silo_refuses_to_start_unless_the_cluster_meets_in_PostgreSQL()
    {
        await using var storage = await TestStorage.CreateAsync("Sqlite", postgres.GetAsync);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            GatewayHost.StartAsync(storage, settings: new Dictionary<string, string?> { ["Gateway:HostsSilo"] = "false" }));

        Assert.Contains("Cluster:Membership=AdoNet", refused.Message, StringComparison.Ordinal);
    }

    public async ValueTask InitializeAsync() => _cluster = await ClusterReplicas.CreateAsync(postgres.GetAsync);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
