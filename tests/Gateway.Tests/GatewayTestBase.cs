using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Starts gateways over fresh databases of the provider a test names, and removes them afterwards.</summary>
public abstract class GatewayTestBase(SharedPostgres postgres) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    protected SharedPostgres Postgres => postgres;

    protected async Task<GatewayHost> StartAsync(string provider = "Sqlite", FakeTimeProvider? clock = null, IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var storage = await TestStorage.CreateAsync(provider, postgres.GetAsync);
        _owned.Add(storage);
        var host = await GatewayHost.StartAsync(storage, clock, settings, configure: configure);
        _owned.Insert(0, host);
        return host;
    }

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
