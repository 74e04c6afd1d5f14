using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ReturnOps.TestSupport;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// The gateway as a user runs it: its own process, Development, embedded SQLite with the demo data,
/// on a free loopback port. Tokens are minted here with the same signing key.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const string SigningKey = "browser-tests-signing-key-0123456789abcdef";
    private readonly ReplicaProcess _process;
    private readonly string _directory;

    private GatewayProcess(ReplicaProcess process, string directory)
    {
        _process = process;
        _directory = directory;
        Http = new HttpClient { BaseAddress = process.Address };
    }

    public Uri Address => _process.Address;
    public HttpClient Http { get; }

    public static async Task<GatewayProcess> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "returnops-browser-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        // Development: appsettings.json (demo data on) and the static web assets manifest, read from beside the assembly.
        var process = await ReplicaProcess.StartAsync("gateway", "Gateway", "ReturnOps.Gateway.dll", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Auth__SigningKey"] = SigningKey,
            ["Storage__Provider"] = "Sqlite",
            ["Storage__ConnectionString"] = $"Data Source={Path.Combine(directory, "returnops.db")}",
            // Its co-hosted silo on free ports: Orleans' defaults (11111, 30000) may be taken by another process on this machine.
            ["Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new GatewayProcess(process, directory);
    }

    /// <summary>A token signed with the gateway's key; the subject defaults to <c>{role}-{country or jcp}</c>.</summary>
    public static string Token(string role, string? country = null, string? subject = null) =>
        TestTokens.Issue(SigningKey, role, country, subject ?? $"{role}-{country ?? "jcp"}".ToLowerInvariant());

    /// <summary>A reintegration provider's token (rule 18): the provider claim and no country.</summary>
    public static string ProviderToken(string providerId) =>
        TestTokens.Issue(SigningKey, "provider", null, "worker-" + providerId, providerId);

    public async Task<JsonElement> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A PUT with a JSON body.</summary>
    public async Task<HttpStatusCode> PutAsync(string path, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A JSON merge patch (as a member state's system sends a case change).</summary>
    public async Task<HttpStatusCode> PatchAsync(string path, string token, object patch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent(patch) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
