using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>Activation on first call, idle collection, shedding under the activation bound, stale activations.</summary>
public sealed class LifecycleTests(SharedPostgres postgres) : RuntimeTestBase(postgres)
{
    [Fact]
    public async Task Activations_idle_longer_than_the_collection_age_are_collected_and_others_are_kept()
    {
        var (_, cluster) = await StartAsync("Sqlite", options: o =>
        {
            o.IdleCollectionAge = TimeSpan.FromMinutes(15);
            o.CollectionInterval = Timeout.InfiniteTimeSpan;
        });
        var runtime = cluster[0];
        await runtime.GetGrain<IProbeGrain>("old").Ping();
        await runtime.GetGrain<IProbeGrain>("recent").Ping();

        cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        await runtime.GetGrain<IProbeGrain>("recent").Ping();
        cluster.Clock.Advance(TimeSpan.FromMinutes(6));
        await runtime.CollectIdleActivationsAsync();

        Assert.Equal(1, runtime.ActivationCount);
        Assert.Equal([DeactivationReason.IdleCollection], Log.Reasons);
        await runtime.GetGrain<IProbeGrain>("old").Ping();
        Assert.Equal(3, Log.Activations);
    }

    [Fact]
    public async Task Collection_runs_by_itself_on_the_configured_interval()
    {
        var (_, cluster) = await StartAsync("Sqlite", options: o =>
        {
            o.IdleCollectionAge = TimeSpan.FromMinutes(15);
            o.CollectionInterval = TimeSpan.FromMinutes(1);
        });
        await cluster[0].GetGrain<IProbeGrain>("p").Ping();

        cluster.Clock.Advance(TimeSpan.FromMinutes(17));

        await Eventually.True(() => cluster[0].ActivationCount == 0, "idle collection to drop the activation");
    }

    [Fact]
    public async Task Above_the_activation_bound_the_least_recently_used_are_shed()
    {
        var (_, cluster) = await StartAsync("Sqlite", options: o =>
        {
            o.MaxActivations = 100;
            o.CollectionInterval = Timeout.InfiniteTimeSpan;
        });
        var runtime = cluster[0];

        for (var i = 0; i < 101; i++)
        {
            await runtime.GetGrain<IProbeGrain>($"p{i}").Ping();
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(90, runtime.ActivationCount);
        Assert.All(Log.Reasons, r => Assert.Equal(DeactivationReason.ActivationLimit, r));
        // The eleven shed were the oldest: the newest is still active, the oldest is activated anew.
        await runtime.GetGrain<IProbeGrain>("p100").Ping();
        Assert.Equal(101, Log.Activations);
        await runtime.GetGrain<IProbeGrain>("p0").Ping();
        Assert.Equal(102, Log.Activations);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_write_on_another_silo_drops_the_stale_activation_here(string provider)
    {
        var (_, cluster) = await StartAsync(provider, silos: 2);
        var here = cluster[0].GetGrain<ICounterGrain>("watched");
        var there = cluster[1].GetGrain<ICounterGrain>("watched");
        await here.Add(1);

        await there.Add(5);

        await Eventually.True(() => cluster[0].ActivationCount == 0, "the change notification to drop the stale activation");
        Assert.Equal(6, await here.Get());
    }

    [Fact]
    public async Task Stopping_a_runtime_deactivates_every_activation()
    {
        var (_, cluster) = await StartAsync("Sqlite");
        for (var i = 0; i < 5; i++)
        {
            await cluster[0].GetGrain<IProbeGrain>($"s{i}").Ping();
        }

        await cluster.StopSiloAsync(0);

        Assert.Equal(5, Log.Deactivations);
        Assert.All(Log.Reasons, r => Assert.Equal(DeactivationReason.RuntimeStopping, r));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Replicas_starting_together_on_an_empty_database_apply_each_migration_once(string provider)
    {
        var storage = await StorageAsync(provider);
        var clusters = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ClusterAsync(storage)));

        Assert.Equal(Storage.RuntimeSchema.Migrations.Count + 1, await storage.ScalarAsync("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(1, await clusters[2][0].GetGrain<ICounterGrain>("after-migration").Add(1));
    }
}
