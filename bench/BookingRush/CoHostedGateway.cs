using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.BookingRush;

/// <summary>
/// One silo co-hosted with the gateway (<see cref="GatewayApp.Build"/>, Production environment) on Kestrel in this
/// process, over a database of its own. Restarted before the rush, so that the rush meets cold grains as it would days
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

    private async Task StartAppAsync()
    {
        _app = GatewayApp.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Production";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:ConnectionString"] = _connectionString,
                ["Auth:SigningKey"] = IReturnOpsHost.SigningKey,
                // Per caller (one token per country here); the default would refuse a clerk room's worth of requests.
                ["Gateway:RateLimitPermits"] = "100000000",
                ["Gateway:SeedDemoData"] = "false",
                ["Silo:Dashboard"] = _dashboard ? "true" : "false",
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            // Errors only (to standard error), so that a 503 or 500 in a run can be traced to its cause.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Error).SetMinimumLevel(LogLevel.Error);
        });
        await _app.StartAsync();
    }

    private async Task StopAppAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
