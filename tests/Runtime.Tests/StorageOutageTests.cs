using System.Diagnostics;
using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>PostgreSQL stops under a running silo, then comes back. Uses its own server so other tests run on.</summary>
public sealed class StorageOutageTests(SharedPostgres postgres) : RuntimeTestBase(postgres)
{
    [Fact]
    public async Task While_PostgreSQL_is_down_calls_fail_fast_with_a_typed_exception_and_succeed_after_it_restarts()
    {
        await using var server = await PostgresServer.StartAsync();
        var storage = new TestStorageOn(server);
        var cluster = await ClusterAsync(await storage.CreateAsync());
        var active = cluster[0].GetGrain<ICounterGrain>("active");
        await active.Add(1);

        await server.StopServerAsync();

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => active.Add(1));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => cluster[0].GetGrain<ICounterGrain>("new").Add(1));
        // Fail fast: well inside the 30-second call timeout, so callers can answer 503 at once.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"failing took {watch.Elapsed}");

        await server.StartServerAsync();

        Assert.Equal(2, await active.Add(1));
        Assert.Equal(1, await cluster[0].GetGrain<ICounterGrain>("new").Add(1));
    }

    private sealed class TestStorageOn(PostgresServer server)
    {
        public Task<TestStorage> CreateAsync() => TestStorage.CreateAsync("Postgres", () => Task.FromResult(server));
    }
}
