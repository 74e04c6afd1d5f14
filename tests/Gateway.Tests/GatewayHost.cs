using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Runtime;
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
/// The real gateway on Kestrel (127.0.0.1, a free port) over a test database, with the demo countries.
/// Tokens are signed with the test key; grains run on the given fake clock, if any.
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
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Tokens = new TokenIssuer(app.Services.GetRequiredService<TokenSettings>(), TimeProvider.System);
    }

    public TestStorage Storage { get; }
    public TokenIssuer Tokens { get; }
    public IServiceProvider Services => _app.Services;
    public GrainRuntime Runtime => _app.Services.GetRequiredService<GrainRuntime>();
    public Uri Address => _http.BaseAddress!;

    public static async Task<GatewayHost> StartAsync(TestStorage storage, FakeClock? clock = null, IDictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = storage.Provider,
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["Auth:SigningKey"] = SigningKey,
            ["Gateway:RateLimitPermits"] = "100000",
            ["Gateway:SeedDemoData"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        var app = GatewayApp.Build([], builder =>
        {
            builder.Environment.EnvironmentName = "Testing";
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            if (clock is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.Configure<GrainRuntimeOptions>(o =>
                {
                    o.ReminderPollInterval = Timeout.InfiniteTimeSpan;
                    o.CollectionInterval = Timeout.InfiniteTimeSpan;
                });
            }
        });
        await app.StartAsync();
        return new GatewayHost(app, storage, new Uri(app.Urls.First()));
    }

    public string Token(string role, string? country = null, string? subject = null) =>
        Tokens.Issue(subject ?? role + "-" + (country ?? "x").ToLowerInvariant(), role, country);

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
