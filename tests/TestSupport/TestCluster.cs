using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Runtime;
using ReturnOps.Runtime.Hosting;

namespace ReturnOps.TestSupport;

/// <summary>
/// 1..N runtime instances ("silos") in this process over one database and one fake clock, as replicas
/// would run over one PostgreSQL. Each silo has its own activations, reminders and change feed.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<(ServiceProvider Services, GrainRuntime Runtime)> _silos = [];
    private readonly TestStorage _storage;
    private readonly Action<GrainRuntimeBuilder> _configure;
    private readonly Action<GrainRuntimeOptions>? _options;
    private readonly Action<IServiceCollection>? _services;
    private int _created;

    private TestCluster(TestStorage storage, FakeClock clock, Action<GrainRuntimeBuilder> configure, Action<GrainRuntimeOptions>? options, Action<IServiceCollection>? services)
    {
        _storage = storage;
        Clock = clock;
        _configure = configure;
        _options = options;
        _services = services;
    }

    public FakeClock Clock { get; }
    public IReadOnlyList<GrainRuntime> Silos => [.. _silos.Select(s => s.Runtime)];
    public GrainRuntime this[int index] => _silos[index].Runtime;

    public static async Task<TestCluster> StartAsync(
        TestStorage storage,
        Action<GrainRuntimeBuilder> configure,
        int silos = 1,
        Action<GrainRuntimeOptions>? options = null,
        Action<IServiceCollection>? services = null,
        FakeClock? clock = null)
    {
        var cluster = new TestCluster(storage, clock ?? new FakeClock(), configure, options, services);
        for (var i = 0; i < silos; i++)
        {
            await cluster.AddSiloAsync();
        }
        return cluster;
    }

    public async Task<GrainRuntime> AddSiloAsync()
    {
        var name = $"silo-{++_created}";
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddOptions<GrainRuntimeOptions>().Configure(o =>
        {
            o.SiloName = name;
            _options?.Invoke(o);
        });
        _services?.Invoke(services);
        services.AddGrainRuntime(b =>
        {
            _configure(b);
            b.UseStorage(_storage.Provider, _storage.ConnectionString);
        });
        var provider = services.BuildServiceProvider();
        var runtime = provider.GetRequiredService<GrainRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        _silos.Add((provider, runtime));
        return runtime;
    }

    /// <summary>Stops silo <paramref name="index"/> as a shutdown would: its activations are deactivated.</summary>
    public async Task StopSiloAsync(int index)
    {
        var (services, runtime) = _silos[index];
        _silos.RemoveAt(index);
        await runtime.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        while (_silos.Count > 0)
        {
            await StopSiloAsync(_silos.Count - 1);
        }
    }
}
