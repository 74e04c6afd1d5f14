using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using ReturnOps.TestSupport;

namespace ReturnOps.Cluster.Tests;

/// <summary>
/// The cluster of deploy/local/cluster.sh, started by a test: a database of its own on the shared throwaway
/// PostgreSQL 15, one silo worker (outbox, reminders), then two gateway replicas (API only: dispatcher and
/// reminders off, no demo data). Disposing it kills every replica it started, dead or alive.
/// </summary>
public sealed class DrillCluster : IAsyncDisposable
{
    public const string SigningKey = "cluster-drill-signing-key-0123456789abcdef";

    /// <summary>
    /// A killed worker's outbox claims pass to another worker when their lease ends: 2 minutes in production,
    /// 15 s here so that the drill fits in CI. The lease must exceed <see cref="AttemptTimeout"/> × (2 in-process
    /// retries + 2), which a lane keeps in hand; the partner answers on loopback in 50 ms, so 2 s per attempt is ample.
    /// </summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    private readonly List<ReplicaProcess> _replicas = [];
    private int _workers;

    private DrillCluster(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public IReadOnlyList<ReplicaProcess> Gateways => [.. _replicas.Where(r => r.Name.StartsWith("gateway", StringComparison.Ordinal))];

    public IReadOnlyList<ReplicaProcess> Replicas => _replicas;

    public static async Task<DrillCluster> StartAsync(PostgresServer postgres)
    {
        // Three replicas share the server's 300 connections: 60 each leaves room for LISTEN and the test's own.
        var connection = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { MaxPoolSize = 60 }.ConnectionString;
        var cluster = new DrillCluster(connection);
        try
        {
            // The worker first: it migrates the empty database. Then the gateways one after the other:
            // the first seeds the JCP participants, the next finds them (cluster.sh's order).
            await cluster.StartWorkerAsync();
            for (var i = 1; i <= 2; i++)
            {
                cluster._replicas.Add(await ReplicaProcess.StartAsync($"gateway-{i}", "Gateway", "ReturnOps.Gateway.dll", cluster.Environment(
                    ("Silo__Dispatcher", "false"), ("Silo__Reminders", "false"), ("Gateway__SeedDemoData", "false"))));
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Starts another silo worker (worker-1, worker-2, ...).</summary>
    public async Task<ReplicaProcess> StartWorkerAsync()
    {
        var worker = await ReplicaProcess.StartAsync($"worker-{++_workers}", "Silo", "ReturnOps.Silo.dll",
            Environment(("Messaging__ClaimLease", ClaimLease.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
                ("Messaging__AttemptTimeout", AttemptTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
                ("Logging__LogLevel__ReturnOps.Silo.Messaging", "Information")));
        _replicas.Add(worker);
        return worker;
    }

    /// <summary>The last lines of every replica, for a failure message.</summary>
    public string Tails() => string.Join("\n", _replicas.Select(r => r.Tail()));

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The outbox by destination and status, with the last error: what a failed drill prints.</summary>
    public async Task<string> OutboxSummaryAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT destination, status, count(*), max(attempts), max(last_error), count(claimed_by) FROM outbox GROUP BY destination, status ORDER BY 1, 2", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)} {reader.GetString(1)}: {reader.GetInt64(2)} (attempts up to {reader.GetValue(3)}, claimed {reader.GetInt64(5)}) {reader.GetValue(4)}");
        }
        return string.Join('\n', lines);
    }

    /// <summary>Every outbox row: id order, with destination, type, status and payload.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> OutboxAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, message_id, destination, type, status, attempts, payload FROM outbox ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<OutboxEntry>();
        while (await reader.ReadAsync())
        {
            rows.Add(new OutboxEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), reader.GetString(6)));
        }
        return rows;
    }

    /// <summary>A token signed with the cluster's key.</summary>
    public static string Token(string role, string? country, string subject) => TestTokens.Issue(SigningKey, role, country, subject);

    public static HttpRequestMessage Request(HttpMethod method, string path, string token, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
        }
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        }
        return request;
    }

    /// <summary>A call that must succeed (set-up and checks, not the rush): its JSON answer.</summary>
    public static async Task<JsonElement> CallAsync(HttpClient http, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = Request(method, path, token, body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    private Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = ConnectionString,
            ["Auth__SigningKey"] = SigningKey,
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }
        return environment;
    }
}

/// <summary>One outbox row as the drill reads it.</summary>
public sealed record OutboxEntry(long Id, string MessageId, string Destination, string Type, string Status, int Attempts, string Payload);
