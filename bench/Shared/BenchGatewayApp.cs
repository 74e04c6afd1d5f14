using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.Bench;

/// <summary>
/// The real gateway with its co-hosted silo (<see cref="GatewayApp.Build"/>, Production environment, its own appsettings.json
/// and so its defaults) on Kestrel at a free loopback port, over a benchmark's database: how every bench that measures the
/// product in one process starts it (this file is compiled into bench/BookingRush and bench/TenYears). No demo data; a rate
/// limit no bench reaches (the limit is per caller, and a bench has one token per country); only errors logged, to standard
/// error, so that a 503 or 500 in a run can be traced to its cause.
/// </summary>
internal static class BenchGatewayApp
{
    /// <param name="provider"><c>Postgres</c> or <c>Sqlite</c>, as <c>Storage:Provider</c>.</param>
    /// <param name="signingKey">The bench signs its callers' tokens with it.</param>
    /// <param name="settings">The bench's own configuration, over the above (e.g. <c>Silo:Dashboard</c>).</param>
    public static async Task<WebApplication> StartAsync(string provider, string connectionString, string signingKey,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = GatewayApp.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Production";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider,
                ["Storage:ConnectionString"] = connectionString,
                ["Auth:SigningKey"] = signingKey,
                ["Gateway:RateLimitPermits"] = "100000000",
                ["Gateway:SeedDemoData"] = "false",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Error).SetMinimumLevel(LogLevel.Error);
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>Stops the gateway and its silo (the silo leaves the cluster) and lets go of its resources.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
