using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ReturnOps.Storage.Tests.Hosting;

/// <summary>An Orleans client, as the clustered gateway runs it: it holds no grains and finds the silos' gateways in the membership table.</summary>
public sealed class ClientHost : IAsyncDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly IHost _host;

    private ClientHost(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClientHost> StartAsync(TestDatabase database, string clusterId)
    {
        var output = TestContext.Current.TestOutputHelper;
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.AddProvider(new TestOutputLoggerProvider(output)))
            .UseOrleansClient(client => client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = SiloHost.ServiceId;
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = database.Invariant;
                    o.ConnectionString = database.ConnectionString;
                }))
            .Build();
        try
        {
            await host.StartAsync().Within(s_limit, "the client to connect to a gateway listed in the membership table");
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new ClientHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync().Within(s_limit, "the client to stop");
        }
        finally
        {
            _host.Dispose();
        }
    }
}
