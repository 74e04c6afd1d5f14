using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Bench;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.TenYears;

/// <summary>
/// The real gateway with its co-hosted silo (<see cref="GatewayApp.Build"/>, started as every bench starts it:
/// <see cref="BenchGatewayApp"/>) over the benchmark's database, and tokens for its callers.
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

    public static async Task<BenchGateway> StartAsync(string provider, string connectionString) =>
        new(await BenchGatewayApp.StartAsync(provider, connectionString, SigningKey));

    public string Coordinator(string country) => Tokens.Issue("clerk-" + country.ToLowerInvariant(), Roles.Coordinator, country, TimeSpan.FromHours(4));

    public string Role(string role) => Tokens.Issue(role + "-bench", role, null, TimeSpan.FromHours(4));

    public ValueTask DisposeAsync() => new(BenchGatewayApp.StopAsync(_app));
}
