using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReturnOps.Browser.Tests;

/// <summary>
/// The gateway as a user runs it: its own process, Development, embedded SQLite with the demo data,
/// on a free loopback port. Tokens are minted here with the same signing key.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const string SigningKey = "browser-tests-signing-key-0123456789abcdef";
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private GatewayProcess(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }
    public HttpClient Http { get; }

    public static async Task<GatewayProcess> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "returnops-browser-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var assembly = GatewayAssembly();
        var info = new ProcessStartInfo("dotnet", $"\"{assembly}\" --urls {address}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Its content root: appsettings.json (demo data on) and, in Development, the static web assets manifest.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Auth__SigningKey"] = SigningKey;
        info.Environment["Storage__Provider"] = "Sqlite";
        info.Environment["Storage__ConnectionString"] = $"Data Source={Path.Combine(directory, "returnops.db")}";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the gateway.");
        var gateway = new GatewayProcess(process, directory, address);
        process.OutputDataReceived += (_, e) => gateway.Record(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await gateway.WaitUntilReadyAsync();
        return gateway;
    }

    /// <summary>An HS256 JWT as the gateway expects (api.md: issuer and audience <c>returnops</c>).</summary>
    public static string Token(string role, string? country = null, string? subject = null)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject ?? $"{role}-{country ?? "jcp"}".ToLowerInvariant(),
            ["role"] = role,
            ["iss"] = "returnops",
            ["aud"] = "returnops",
            ["exp"] = DateTimeOffset.FromUnixTimeSeconds(4102444800).ToUnixTimeSeconds(),
        };
        if (country is not null)
        {
            claims["country"] = country;
        }
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

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

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                break;
            }
            try
            {
                using var response = await Http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"The gateway did not become ready at {Address}:\n{_output}");
    }

    private static string GatewayAssembly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReturnOps.slnx")))
        {
            directory = directory.Parent;
        }
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Repository root not found."),
            "src", "Gateway", "bin", configuration, "net10.0", "ReturnOps.Gateway.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
