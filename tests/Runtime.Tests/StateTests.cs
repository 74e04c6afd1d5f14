using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>Durable state with optimistic concurrency, on both providers.</summary>
public sealed class StateTests(SharedPostgres postgres) : RuntimeTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_silos_incrementing_one_grain_at_once_lose_no_update(string provider)
    {
        var (_, cluster) = await StartAsync(provider, silos: 2);
        var onFirst = cluster[0].GetGrain<ICounterGrain>("shared");
        var onSecond = cluster[1].GetGrain<ICounterGrain>("shared");

        // Each silo has its own activation of the same grain: their writes conflict, and every
        // conflict is replayed on fresh state. A call may fail only if its replay conflicts too.
        var calls = Enumerable.Range(0, 500).SelectMany(_ => new[] { Task.Run(() => AddWithRetry(onFirst)), Task.Run(() => AddWithRetry(onSecond)) });
        await Task.WhenAll(calls);

        Assert.Equal(1000, await onFirst.Add(0));
    }

    private static async Task AddWithRetry(ICounterGrain counter)
    {
        // The caller's retry is the documented contract: one replay is automatic, a second conflict is reported.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await counter.Add(1);
                return;
            }
            catch (InconsistentStateException) when (attempt < 50)
            {
            }
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task State_survives_deactivation_and_a_new_runtime(string provider)
    {
        var storage = await StorageAsync(provider);
        await using (var first = await ClusterAsync(storage))
        {
            await first[0].GetGrain<ICounterGrain>("durable").Add(41);
            first.Clock.Advance(TimeSpan.FromHours(1));
            await first[0].CollectIdleActivationsAsync();
            Assert.Equal(0, first[0].ActivationCount);
            Assert.Equal(42, await first[0].GetGrain<ICounterGrain>("durable").Add(1));
        }

        var second = await ClusterAsync(storage);
        Assert.Equal(42, await second[0].GetGrain<ICounterGrain>("durable").Get());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_write_over_a_changed_version_is_replayed_once_on_fresh_state(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var counter = cluster[0].GetGrain<ICounterGrain>("raced");
        await counter.Add(1);

        // Another writer (here: an operator) changes the row behind the activation's back.
        await storage.ExecuteAsync("UPDATE grain_state SET version = version + 1, payload = '{\"value\":10}' WHERE grain_key = 'raced'");

        Assert.Equal(11, await counter.Add(1));
        Assert.Equal(11, await counter.Get());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Clearing_state_leaves_a_tombstone_that_a_stale_writer_cannot_match(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var ledger = cluster[0].GetGrain<ILedgerGrain>("cleared");
        await ledger.Record([]);
        await ledger.Clear();

        Assert.Equal(0, await ledger.Entries());
        Assert.Equal(1, await storage.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE grain_key = 'cleared' AND payload IS NULL AND version = 2"));
        await ledger.Record([]);
        Assert.Equal(1, await ledger.Entries());
    }
}
