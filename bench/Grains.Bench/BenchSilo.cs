using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using ReturnOps.BookingRush;
using ReturnOps.Silo.Hosting;

namespace ReturnOps.Grains.Bench;

/// <summary>A silo host started in this process, stopped on dispose.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Action? _cleanup;

    private BenchSilo(IHost host, Action? cleanup)
    {
        _host = host;
        _cleanup = cleanup;
    }

    /// <summary>The co-hosted silo's grain factory: calls from outside grains, as the embedded gateway makes them.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>What <see cref="Grain.RuntimeIdentity"/> answers in this silo's grains.</summary>
    public string Identity => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

    /// <summary>The endpoint other silos reach this one at (the primary silo of development clustering).</summary>
    public IPEndPoint SiloEndpoint => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint;

    /// <summary>The activations of the cluster, as Orleans' management grain counts them.</summary>
    public Task<int> ActivationCountAsync() => Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();

    /// <summary>
    /// A plain Orleans silo with development clustering: no storage, no call filters. The first silo of a cluster passes
    /// no <paramref name="primary"/>; the others pass the first one's silo endpoint.
    /// </summary>
    public static async Task<BenchSilo> StartPlainAsync(string clusterId, IPEndPoint? primary = null)
    {
        var ports = FreePorts(2);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        LogWarningsToStandardError(builder);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(ports[0], ports[1], primary, serviceId: clusterId, clusterId: clusterId);
            KeepIdleActivations(silo);
        });
        return await StartAsync(builder.Build(), cleanup: null);
    }

    /// <summary>
    /// The embedded silo as ReturnOps runs it (<c>AddReturnOpsSilo</c>: domain grains, our storage and call filters, Orleans'
    /// reminders) on a temporary SQLite file, without the outbox dispatcher.
    /// </summary>
    public static async Task<BenchSilo> StartReturnOpsAsync()
    {
        var ports = FreePorts(2);
        var file = Path.Combine(Path.GetTempPath(), $"grains-bench-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={file}",
            ["Cluster:SiloPort"] = ports[0].ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = ports[1].ToString(CultureInfo.InvariantCulture),
            ["Silo:Dispatcher"] = "false",
        });
        LogWarningsToStandardError(builder);
        builder.AddReturnOpsSilo(configure: KeepIdleActivations);
        return await StartAsync(builder.Build(), () =>
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        });
    }

    /// <summary>Waits until this silo sees <paramref name="count"/> active silos in the cluster.</summary>
    public async Task WaitForActiveSilosAsync(int count)
    {
        var membership = _host.Services.GetRequiredService<IClusterMembershipService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) < count)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _cleanup?.Invoke();
    }

    /// <summary>A weak reference to this silo's services: the silo is gone from the heap when it is no longer alive.</summary>
    public WeakReference Track() => new(_host.Services);

    /// <summary>
    /// A stopped silo can stay reachable for a while (timers, threads winding down); freed during a later memory reading, it
    /// would make that reading too low. Waits up to 30 s until none of <paramref name="silos"/> is alive.
    /// </summary>
    public static async Task WaitUntilCollectedAsync(params WeakReference[] silos)
    {
        var giveUp = Measure.Deadline(TimeSpan.FromSeconds(30));
        while (silos.Any(s => s.IsAlive) && Stopwatch.GetTimestamp() < giveUp)
        {
            Measure.SettledHeap();
            await Task.Delay(200);
        }
        if (silos.Any(s => s.IsAlive))
        {
            Console.Error.WriteLine("  a stopped silo is still reachable after 30 s; a memory reading after this may see it freed.");
        }
    }

    private static async Task<BenchSilo> StartAsync(IHost host, Action? cleanup)
    {
        await host.StartAsync();
        return new BenchSilo(host, cleanup);
    }

    /// <summary>Nothing is collected while a benchmark runs: no idle collection for 2 hours, no shedding under memory pressure.</summary>
    private static void KeepIdleActivations(ISiloBuilder silo) => silo.Configure<GrainCollectionOptions>(o =>
    {
        o.CollectionAge = TimeSpan.FromHours(2);
        o.EnableActivationSheddingOnMemoryPressure = false;
    });

    /// <summary>Standard output carries the report; Orleans' warnings and errors go to standard error.</summary>
    private static void LogWarningsToStandardError(HostApplicationBuilder builder)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>Ports no one listens on now, distinct from each other.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }
        return ports;
    }
}
