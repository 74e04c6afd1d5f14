using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ReturnOps.Storage.Tests.Hosting;

/// <summary>
/// One real Orleans silo in this process, on loopback ports of its own. Several can share a database, as silo
/// replicas share PostgreSQL.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    public const string ServiceId = "returnops-storage-tests";

    // Starting is a few seconds when nothing else runs; other test builds share the two cores.
    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_stopLimit = TimeSpan.FromSeconds(60);

    private readonly IHost _host;
    private bool _stopped;

    private SiloHost(IHost host, string name)
    {
        _host = host;
        Name = name;
    }

    public string Name { get; }
    public IServiceProvider Services => _host.Services;
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>A silo of the cluster <paramref name="clusterId"/>, which finds its peers in the database's membership table.</summary>
    public static Task<SiloHost> StartClusterMemberAsync(TestDatabase database, string clusterId, string name, bool reminders = false) =>
        StartAsync(name, silo =>
        {
            silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = ServiceId;
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = database.Invariant;
                    o.ConnectionString = database.ConnectionString;
                })
                .ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next(), listenOnAnyHostAddress: false);
            if (reminders)
            {
                UseReminders(silo, database);
            }
        });

    /// <summary>The embedded shape: one silo with localhost clustering and its reminders in the database.</summary>
    public static Task<SiloHost> StartEmbeddedAsync(TestDatabase database, string name) =>
        StartAsync(name, silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: ServiceId, clusterId: "embedded");
            UseReminders(silo, database);
        });

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync().Within(s_stopLimit, $"silo {Name} to stop");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static void UseReminders(ISiloBuilder silo, TestDatabase database) =>
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = database.Invariant;
            o.ConnectionString = database.ConnectionString;
        });

    private static async Task<SiloHost> StartAsync(string name, Action<ISiloBuilder> configure)
    {
        var output = TestContext.Current.TestOutputHelper;
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.AddProvider(new TestOutputLoggerProvider(output)))
            .UseOrleans(silo =>
            {
                silo.Configure<SiloOptions>(o => o.SiloName = name);
                configure(silo);
            })
            .Build();
        try
        {
            await host.StartAsync().Within(s_startLimit, $"silo {name} to start and become active");
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new SiloHost(host, name);
    }
}
