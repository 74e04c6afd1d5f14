using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Runtime.Hosting;
using ReturnOps.Runtime.Storage;
using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>Starts clusters of the test grains on the provider a test names.</summary>
public abstract class RuntimeTestBase(SharedPostgres postgres) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected ActivationLog Log { get; } = new();

    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    protected static readonly Migration LedgerView = new("runtime-tests", 1, "ledger view",
        "CREATE TABLE ledger_view (id text PRIMARY KEY, entries integer NOT NULL, label text NOT NULL)",
        "CREATE TABLE ledger_view (id TEXT PRIMARY KEY, entries INTEGER NOT NULL, label TEXT NOT NULL)");

    protected async Task<TestStorage> StorageAsync(string provider)
    {
        var storage = await TestStorage.CreateAsync(provider, postgres.GetAsync);
        lock (_owned)
        {
            _owned.Add(storage);
        }
        return storage;
    }

    protected async Task<TestCluster> ClusterAsync(TestStorage storage, int silos = 1, Action<GrainRuntimeOptions>? options = null, FakeClock? clock = null)
    {
        var cluster = await TestCluster.StartAsync(storage, Configure, silos, options, services => services.AddSingleton(Log), clock);
        lock (_owned)
        {
            // Clusters stop before the databases under them are removed.
            _owned.Insert(0, cluster);
        }
        return cluster;
    }

    protected async Task<(TestStorage Storage, TestCluster Cluster)> StartAsync(string provider, int silos = 1, Action<GrainRuntimeOptions>? options = null)
    {
        var storage = await StorageAsync(provider);
        return (storage, await ClusterAsync(storage, silos, options));
    }

    private static void Configure(GrainRuntimeBuilder builder) => builder
        .AddGrains(typeof(CounterGrain).Assembly)
        .AddJsonContext(TestJsonContext.Default)
        .AddMigrations([LedgerView]);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
