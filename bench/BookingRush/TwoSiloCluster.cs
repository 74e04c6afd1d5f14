using System.Globalization;
using Npgsql;
using ReturnOps.TestSupport;

namespace ReturnOps.BookingRush;

/// <summary>
/// The cluster of deploy/local/cluster.sh and tests/Cluster.Tests: two Orleans silos (src/Silo, ADO.NET clustering in
/// the database, each on loopback ports of its own) and two gateways that are only Orleans clients of them
/// (<c>Gateway:HostsSilo=false</c>), each its own process running the Release build. Started once per database server
/// and kept for every scenario of the run (each scenario plans operations and returnees of its own).
/// </summary>
public sealed class TwoSiloCluster : IReturnOpsHost
{
    private readonly List<ReplicaProcess> _replicas = [];

    public string Topology => "two silos";

    public IReadOnlyList<Uri> Gateways => [.. _replicas.Where(r => r.Name.StartsWith("gateway", StringComparison.Ordinal)).Select(r => r.Address)];

    public IGrainFactory? Grains => null;

    public static async Task<TwoSiloCluster> StartAsync(PostgresServer server)
    {
        // Four replicas share the server's 300 connections (tests/Cluster.Tests does the same): 60 each leaves room for the bench's own.
        var connection = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { MaxPoolSize = 60 }.ConnectionString;
        var cluster = new TwoSiloCluster();
        try
        {
            // The silos together: migrations take an advisory lock, and the second joins the cluster the first opens.
            var silos = await Task.WhenAll(Enumerable.Range(1, 2).Select(i => ReplicaProcess.StartAsync($"silo-{i}", "Silo", "ReturnOps.Silo.dll",
                Environment(connection, ("Cluster__AdvertisedAddress", "127.0.0.1"), ("Cluster__SiloPort", Port()), ("Cluster__GatewayPort", Port())))));
            cluster._replicas.AddRange(silos);
            // Then the gateways one after the other: the first seeds the participants, the next finds them (cluster.sh's order).
            for (var i = 1; i <= 2; i++)
            {
                cluster._replicas.Add(await ReplicaProcess.StartAsync($"gateway-{i}", "Gateway", "ReturnOps.Gateway.dll",
                    Environment(connection, ("Gateway__HostsSilo", "false"))));
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>The grains stay where they are: the cluster is not restarted between scenarios.</summary>
    public Task BeforeRushAsync() => Task.CompletedTask;

    /// <summary>The last lines of every replica, for a failed check.</summary>
    public string Tails() => string.Join("\n", _replicas.Select(r => r.Tail()));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Environment(string connection, params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = connection,
            ["Auth__SigningKey"] = IReturnOpsHost.SigningKey,
            ["Cluster__Membership"] = "AdoNet",
            ["Gateway__SeedDemoData"] = "false",
            // Per caller (one token per country here); the default would refuse a clerk room's worth of requests.
            ["Gateway__RateLimitPermits"] = "100000000",
            ["Logging__LogLevel__Default"] = "Error",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }
        return environment;
    }
}
