using ReturnOps.Storage.Tests.Grains;
using ReturnOps.Storage.Tests.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests;

/// <summary>Two silos of one cluster in this process, clustered through our membership SQL on one PostgreSQL database.</summary>
public sealed class ClusteringTests(SharedPostgres postgres)
{
    private static readonly TimeSpan s_callLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_silos_become_active_and_calls_from_both_reach_one_activation()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres", postgres);
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        await using var a = await SiloHost.StartClusterMemberAsync(database, clusterId, "silo-a");
        await using var b = await SiloHost.StartClusterMemberAsync(database, clusterId, "silo-b");

        foreach (var silo in new[] { a, b })
        {
            var management = silo.Grains.GetGrain<IManagementGrain>(0);
            await Eventually.True(async () => (await management.GetHosts(onlyActive: true)).Count == 2,
                $"silo {silo.Name} to see two active silos", TimeSpan.FromSeconds(60));
        }
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3"));

        var key = Guid.NewGuid().ToString("N");
        var increments = Enumerable.Range(0, 200)
            .SelectMany(_ => new[] { a, b })
            .Select(silo => silo.Grains.GetGrain<ICounterGrain>(key).Increment());
        await Task.WhenAll(increments).Within(s_callLimit, "2 × 200 concurrent increments from both silos");

        Assert.Equal(400, await a.Grains.GetGrain<ICounterGrain>(key).Get().Within(s_callLimit, "the count seen from silo A"));
        Assert.Equal(400, await b.Grains.GetGrain<ICounterGrain>(key).Get().Within(s_callLimit, "the count seen from silo B"));
    }

    [Fact]
    public async Task A_client_finds_the_gateways_in_the_membership_table_and_calls_a_grain()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres", postgres);
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        await using var a = await SiloHost.StartClusterMemberAsync(database, clusterId, "silo-a");
        await using var b = await SiloHost.StartClusterMemberAsync(database, clusterId, "silo-b");
        var key = Guid.NewGuid().ToString("N");
        await a.Grains.GetGrain<ICounterGrain>(key).Increment().Within(s_callLimit, "an increment from silo A");

        await using var client = await ClientHost.StartAsync(database, clusterId);

        Assert.Equal(2, await client.Client.GetGrain<ICounterGrain>(key).Increment().Within(s_callLimit, "an increment from the client"));
        Assert.Equal(2, await b.Grains.GetGrain<ICounterGrain>(key).Get().Within(s_callLimit, "the count seen from silo B"));
    }

    [Fact]
    public async Task Silos_that_stop_are_recorded_dead_and_the_survivor_sees_one_active_silo()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres", postgres);
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        await using var a = await SiloHost.StartClusterMemberAsync(database, clusterId, "silo-a");
        await using var b = await SiloHost.StartClusterMemberAsync(database, clusterId, "silo-b");

        await b.StopAsync();

        Assert.Equal(6, await database.ScalarAsync($"SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND SiloName = 'silo-b'"));
        var management = a.Grains.GetGrain<IManagementGrain>(0);
        await Eventually.True(async () => (await management.GetHosts(onlyActive: true)).Count == 1,
            "silo A to see itself as the only active silo", TimeSpan.FromSeconds(60));
        await a.StopAsync();
        Assert.Equal(2, await database.ScalarAsync($"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 6"));
    }
}
