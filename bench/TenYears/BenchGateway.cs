using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.TenYears;

/// <summary>
/// The real gateway (<see cref="GatewayApp.Build"/>, Production environment, co-hosted silo, its own appsettings.json and so
/// its logging defaults) on Kestrel at a free loopback port, over the benchmark's database. Only errors are logged, to
/// standard error.
/// </summary>
public sealed class BenchGateway : IAsyncDisposable
{
    public const string SigningKey = "ten-years-signing-key-of-at-least-32-bytes";
    private readonly WebApplication _app;

    private BenchGateway(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Urls.First());
        Tokens = app.Services.GetRequiredService<TokenIssuer>();
    }

    public Uri Address { get; }
    public TokenIssuer Tokens { get; }

    public static async Task<BenchGateway> StartAsync(string provider, string connectionString)
    {
        var app = GatewayApp.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Production";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider,
                ["Storage:ConnectionString"] = connectionString,
                ["Auth:SigningKey"] = SigningKey,
                // One token per state: the default limit is per caller and would refuse a benchmark's rate.
                ["Gateway:RateLimitPermits"] = "100000000",
                ["Gateway:SeedDemoData"] = "false",
            });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Error).SetMinimumLevel(LogLevel.Error);
        });
        await app.StartAsync();
        return new BenchGateway(app);
    }

    public string Coordinator(string country) => Tokens.Issue("clerk-" + country.ToLowerInvariant(), Roles.Coordinator, country, TimeSpan.FromHours(4));

    public string Role(string role) => Tokens.Issue(role + "-bench", role, null, TimeSpan.FromHours(4));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
