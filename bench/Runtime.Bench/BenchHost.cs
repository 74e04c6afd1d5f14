using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Runtime.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>One runtime instance over the given storage, on the system clock, as a service would run it.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchHost(ServiceProvider services, GrainRuntime runtime)
    {
        _services = services;
        Runtime = runtime;
    }

    public GrainRuntime Runtime { get; }

    public static async Task<BenchHost> StartAsync(TestStorage storage)
    {
        var services = new ServiceCollection();
        services.AddGrainRuntime(b => b
            .AddGrains(typeof(NoopGrain).Assembly)
            .AddJsonContext(BenchJsonContext.Default)
            .UseStorage(storage.Provider, storage.ConnectionString));
        var provider = services.BuildServiceProvider();
        var runtime = provider.GetRequiredService<GrainRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        return new BenchHost(provider, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
