using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ReturnOps.Silo.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// The cluster topology inside the test process: silo replicas as src/Silo runs them (<see cref="SiloWorker"/>) and gateway
/// replicas that hold no silo (<c>Gateway:HostsSilo=false</c>), all on one test PostgreSQL database, meeting through
/// Orleans' ADO.NET membership under a cluster id of their own, each silo on its own loopback ports.
/// </summary>
public sealed class ClusterReplicas : IAsyncDisposable
{
    private readonly List<WebApplication> _silos = [];
    private readonly List<GatewayHost> _gateways = [];
    private readonly string _clusterId = "replicas-" + Guid.NewGuid().ToString("N")[..8];

    private ClusterReplicas(TestStorage storage) => Storage = storage;

    public TestStorage Storage { get; }

    /// <summary>An empty database on <paramref name="postgres"/>; no replica runs yet.</summary>
    public static async Task<ClusterReplicas> CreateAsync(Func<Task<PostgresServer>> postgres) =>
        new(await TestStorage.CreateAsync("Postgres", postgres));

    /// <summary>Starts a silo replica (grains, reminders, outbox dispatcher) that joins the cluster.</summary>
    public async Task<WebApplication> StartSiloAsync(IDictionary<string, string?>? settings = null)
    {
        var name = $"silo-{_silos.Count + 1}";
        var config = Shared(name, settings);
        config["Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        config["Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        config["Cluster:AdvertisedAddress"] = "127.0.0.1";
        var silo = SiloWorker.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });
        _silos.Add(silo);
        await silo.StartAsync();
        return silo;
    }

    /// <summary>Starts a gateway replica that is only an Orleans client of the silos already started.</summary>
    public async Task<GatewayHost> StartGatewayAsync(IDictionary<string, string?>? settings = null)
    {
        var config = Shared($"gateway-{_gateways.Count + 1}", settings);
        config["Gateway:HostsSilo"] = "false";
        var gateway = await GatewayHost.StartAsync(Storage, settings: config);
        _gateways.Add(gateway);
        return gateway;
    }

    private Dictionary<string, string?> Shared(string name, IDictionary<string, string?>? settings)
    {
        var config = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = Storage.Provider,
            ["Storage:ConnectionString"] = Storage.ConnectionString,
            ["Cluster:Membership"] = "AdoNet",
            ["Cluster:ClusterId"] = _clusterId,
            ["Silo:Name"] = name,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        return config;
    }

    /// <summary>Gateways first, then silos, last started first: as a rolling shutdown would.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in Enumerable.Reverse(_gateways))
        {
            await gateway.DisposeAsync();
        }
        foreach (var silo in Enumerable.Reverse(_silos))
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
        await Storage.DisposeAsync();
    }
}
