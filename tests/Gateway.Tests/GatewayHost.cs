using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Gateway.Tests.Contract;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>An HTTP answer as a test sees it.</summary>
public sealed record Answer(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, string Body)
{
    public int Code => (int)Status;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : ContentHeaders is not null && ContentHeaders.TryGetValues(name, out var content) ? string.Join(",", content) : null;

    public override string ToString() => $"{Code} {Body}";
}

/// <summary>
/// The real gateway on Kestrel (127.0.0.1, a free port) over a test database, with the demo countries. Embedded by
/// default: its co-hosted silo listens on free loopback ports of its own and has a cluster id of its own, so hosts in one
/// test process never meet. Tokens are signed with the test key; the domain runs on the given fake clock, if any
/// (registered under <see cref="DomainClock.Key"/>, and as the date of reminders: Orleans' own timers stay real).
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string SigningKey = "gateway-tests-signing-key-of-at-least-32-bytes";
    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private int _keys;

    private GatewayHost(WebApplication app, TestStorage storage, Uri address)
    {
        _app = app;
        Storage = storage;
        // Every answer a test receives is checked against the served OpenAPI document (issue 11, defect 2).
        _http = new HttpClient(new ContractCheckingHandler(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }))
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Tokens = app.Services.GetRequiredService<TokenIssuer>();
    }

    public TestStorage Storage { get; }
    public TokenIssuer Tokens { get; }
    public IServiceProvider Services => _app.Services;
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();
    public IStorageProvider Database => _app.Services.GetRequiredService<IStorageProvider>();
    public Uri Address => _http.BaseAddress!;

    /// <summary>The domain clock of a test that moves time, at the tests' fixed start (<see cref="TestCluster.Start"/>).</summary>
    public static FakeTimeProvider NewClock() => new(TestCluster.Start);

    public static async Task<GatewayHost> StartAsync(TestStorage storage, FakeTimeProvider? clock = null, IDictionary<string, string?>? settings = null,
        string environment = "Testing", Action<WebApplicationBuilder>? configure = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = storage.Provider,
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["Auth:SigningKey"] = SigningKey,
            ["Gateway:RateLimitPermits"] = "100000",
            ["Gateway:SeedDemoData"] = "false",
            // The tests' partner simulator and refused URLs are on 127.0.0.1.
            ["Messaging:AllowLoopbackWebhooks"] = "true",
            ["Cluster:ClusterId"] = "gateway-tests-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Its name in the change feed: hosts in one process would otherwise share the generated one and not hear each other.
            ["Silo:Name"] = "gateway-" + Guid.NewGuid().ToString("N")[..8],
        };
        // A null value removes a test default, leaving the key to the gateway's own appsettings files.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                config.Remove(key);
            }
            else
            {
                config[key] = value;
            }
        }
        var app = GatewayApp.Build([], builder =>
        {
            builder.Environment.EnvironmentName = environment;
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            if (clock is not null)
            {
                builder.Services.AddKeyedSingleton<TimeProvider>(DomainClock.Key, clock);
                builder.Services.AddDomainReminderClock(clock);
            }
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new GatewayHost(app, storage, new Uri(app.Urls.First()));
    }

    /// <summary>
    /// Delivers a tick of every reminder due on the domain clock, as <see cref="TestCluster.FireDueRemindersAsync"/> does
    /// (<see cref="DomainReminders.FireDueAsync"/>); with no fake clock the domain's clock is the system's.
    /// </summary>
    public Task<int> FireDueRemindersAsync() =>
        DomainReminders.FireDueAsync(Services.GetRequiredService<IReminderTable>(), Grains,
            Services.GetKeyedService<TimeProvider>(DomainClock.Key) ?? TimeProvider.System);

    public string Token(string role, string? country = null, string? subject = null) =>
        Tokens.Issue(subject ?? role + "-" + (country ?? "x").ToLowerInvariant(), role, country);

    /// <summary>A token of a reintegration service provider (rule 18): its provider id, no country.</summary>
    public string ProviderToken(string providerId, string? subject = null) =>
        Tokens.Issue(subject ?? "worker-" + providerId, "provider", null, provider: providerId);

    /// <summary>Sends one request; a POST gets a fresh Idempotency-Key unless one is given.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, string? token, object? body = null,
        string contentType = "application/json", string? idempotencyKey = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web);
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (method == HttpMethod.Post)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey ?? "key-" + Interlocked.Increment(ref _keys) + "-" + Guid.NewGuid().ToString("N"));
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await SendAsync(request);
    }

    public async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, response.Headers, response.Content.Headers, body);
    }

    public Task<Answer> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<Answer> PostAsync(string path, string? token, object? body, string? idempotencyKey = null, string? ifMatch = null) =>
        SendAsync(HttpMethod.Post, path, token, body ?? new { }, idempotencyKey: idempotencyKey, ifMatch: ifMatch);

    public HttpClient RawClient => _http;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
