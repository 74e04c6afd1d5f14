using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Bench;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.BookingRush;

/// <summary>
/// One silo co-hosted with the gateway (<see cref="GatewayApp.Build"/>, started as every bench starts it:
/// <see cref="BenchGatewayApp"/>) in this process, over a database of its own. Restarted before the rush, so that the rush meets cold grains as it would days
/// after registration.
/// </summary>
public sealed class CoHostedGateway : IReturnOpsHost
{
    private readonly string _connectionString;
    private readonly bool _dashboard;
    private WebApplication _app = null!;

    private CoHostedGateway(string connectionString, bool dashboard)
    {
        _connectionString = connectionString;
        _dashboard = dashboard;
    }

    public string Topology => "one silo";

    public IReadOnlyList<Uri> Gateways => [new Uri(_app.Urls.First())];

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    /// <param name="dashboard">Orleans' dashboard collecting (<c>Silo:Dashboard</c>, on as deployed); off with <c>--dashboard off</c>.</param>
    public static async Task<CoHostedGateway> StartAsync(string connectionString, bool dashboard = true)
    {
        var host = new CoHostedGateway(connectionString, dashboard);
        await host.StartAppAsync();
        return host;
    }

    public async Task BeforeRushAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    public ValueTask DisposeAsync() => new(StopAppAsync());

    private async Task StartAppAsync() =>
        _app = await BenchGatewayApp.StartAsync("Postgres", _connectionString, IReturnOpsHost.SigningKey,
            new Dictionary<string, string?> { ["Silo:Dashboard"] = _dashboard ? "true" : "false" });

    private Task StopAppAsync() => BenchGatewayApp.StopAsync(_app);
}
