using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using ReturnOps.TestSupport;

namespace ReturnOps.Cluster.Tests;

/// <summary>
/// The cluster of deploy/local/cluster.sh, started by a test: a database of its own on the shared throwaway
/// PostgreSQL 15, two Orleans silos (grains, reminders, outbox dispatcher; ADO.NET clustering in that database, each
/// on its own silo and gateway ports), then two gateway replicas that are only Orleans clients of them
/// (<c>Gateway:HostsSilo=false</c>, no demo data). Disposing it kills every replica it started, dead or alive.
/// </summary>
public sealed class DrillCluster : IAsyncDisposable
{
    public const string SigningKey = "cluster-drill-signing-key-0123456789abcdef";

    /// <summary>
    /// A killed silo's outbox claims pass to another silo when their lease ends: 2 minutes in production,
    /// 15 s here so that the drill fits in CI. The lease must exceed <see cref="AttemptTimeout"/> × (2 in-process
    /// retries + 2), which a lane keeps in hand; the partner answers on loopback in 50 ms, so 2 s per attempt is ample.
    /// </summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Failure detection (Orleans' <c>ClusterMembershipOptions</c>, keys <c>Cluster:*</c>) as deploy/local/cluster.sh sets
    /// it: a silo probes its peer about every second (Orleans adapts the probe timeout between half and four times this)
    /// and votes it dead after 3 missed probes; with two silos the survivor's one vote is enough. It must declare a killed
    /// silo dead well within the gateways' response timeout (<see cref="ClientSettings"/>): until then a call to a grain
    /// the dead silo hosted cannot be placed, and expires with the client's timeout.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FailureDetection = new Dictionary<string, string>
    {
        ["Cluster__ProbeTimeout"] = "00:00:01",
        ["Cluster__NumMissedProbesLimit"] = "3",
        ["Cluster__NumVotesForDeathDeclaration"] = "1",
        ["Cluster__TableRefreshTimeout"] = "00:00:05",
        ["Cluster__DeathVoteExpirationTimeout"] = "00:00:30",
        ["Cluster__IAmAliveTablePublishTimeout"] = "00:00:10",
    };

    /// <summary>
    /// The gateways as Orleans clients: they reread the live silos every 5 s (Orleans: 1 min; a broken connection drops a
    /// silo at once), and give up on a call after 5 s (Orleans: 30 s). A booking in flight through a connection that closes
    /// when its silo dies is given up at once (<c>SiloConnectionWatch</c>), answered 503 with Retry-After 1 s, and retried;
    /// one forwarded by the other silo is failed by it when it declares the dead silo dead. The response timeout is left for
    /// calls that cannot be retried safely and for a silo that hangs without closing its connections.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ClientSettings = new Dictionary<string, string>
    {
        ["Cluster__GatewayListRefreshPeriod"] = "00:00:05",
        ["Cluster__ResponseTimeout"] = "00:00:05",
    };

    private readonly List<ReplicaProcess> _replicas = [];
    private int _silos;

    private DrillCluster(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public IReadOnlyList<ReplicaProcess> Gateways => [.. _replicas.Where(r => r.Name.StartsWith("gateway", StringComparison.Ordinal))];

    public IReadOnlyList<ReplicaProcess> Silos => [.. _replicas.Where(r => r.Name.StartsWith("silo", StringComparison.Ordinal))];

    public IReadOnlyList<ReplicaProcess> Replicas => _replicas;

    public static async Task<DrillCluster> StartAsync(PostgresServer postgres)
    {
        // Four replicas share the server's 300 connections: 60 each leaves room for LISTEN and the test's own.
        var connection = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { MaxPoolSize = 60 }.ConnectionString;
        var cluster = new DrillCluster(connection);
        try
        {
            // The silos together: migrations take an advisory lock, and the second joins the cluster the first opens.
            await Task.WhenAll(cluster.StartSiloAsync(), cluster.StartSiloAsync());
            // Then the gateways one after the other: the first seeds the JCP participants, the next finds them
            // (cluster.sh's order).
            for (var i = 1; i <= 2; i++)
            {
                cluster.Add(await ReplicaProcess.StartAsync($"gateway-{i}", "Gateway", "ReturnOps.Gateway.dll", cluster.Environment(
                    [("Gateway__HostsSilo", "false"), ("Gateway__SeedDemoData", "false"), .. ClientSettings.Select(s => (s.Key, s.Value))])));
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Starts another silo (silo-1, silo-2, ...) on loopback ports of its own.</summary>
    public async Task<ReplicaProcess> StartSiloAsync()
    {
        var name = $"silo-{Interlocked.Increment(ref _silos)}";
        var settings = new List<(string, string)>
        {
            ("Cluster__AdvertisedAddress", "127.0.0.1"),
            ("Cluster__SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture)),
            ("Cluster__GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture)),
            ("Messaging__ClaimLease", ClaimLease.ToString("c", CultureInfo.InvariantCulture)),
            ("Messaging__AttemptTimeout", AttemptTimeout.ToString("c", CultureInfo.InvariantCulture)),
            ("Logging__LogLevel__ReturnOps.Silo.Messaging", "Information"),
            // Suspicions, votes and evictions: what a failed drill's output should show.
            ("Logging__LogLevel__Orleans.Runtime.MembershipService", "Information"),
        };
        settings.AddRange(FailureDetection.Select(s => (s.Key, s.Value)));
        var silo = await ReplicaProcess.StartAsync(name, "Silo", "ReturnOps.Silo.dll", Environment([.. settings]));
        Add(silo);
        return silo;
    }

    /// <summary>
    /// The replica that writes <paramref name="grainType"/>/<paramref name="key"/>'s state next: the silo hosting its
    /// activation. Read from the storage's change feed (LISTEN <c>returnops_state</c>, whose notices name the writer).
    /// </summary>
    public async Task<ReplicaProcess> HostOfAsync(string grainType, string key, TimeSpan within)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var writer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Notification += (_, e) =>
        {
            using var notices = JsonDocument.Parse(e.Payload);
            foreach (var notice in notices.RootElement.EnumerateArray())
            {
                if (notice.GetProperty("T").GetString() == grainType && notice.GetProperty("K").GetString() == key)
                {
                    writer.TrySetResult(notice.GetProperty("O").GetString()!);
                }
            }
        };
        await using (var listen = new NpgsqlCommand("LISTEN returnops_state", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }
        using var timeout = new CancellationTokenSource(within);
        while (!writer.Task.IsCompleted)
        {
            try
            {
                await connection.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No replica wrote {grainType}/{key} within {within}.");
            }
        }
        var name = await writer.Task;
        lock (_replicas)
        {
            return _replicas.Single(r => r.Name == name);
        }
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

    /// <summary>Waits until Orleans' membership table marks <paramref name="silo"/> dead (status 6); the time since <paramref name="killedAt"/>.</summary>
    public async Task<TimeSpan> DeclaredDeadAsync(ReplicaProcess silo, long killedAt)
    {
        var sql = $"SELECT count(*) FROM orleansmembershiptable WHERE siloname = '{silo.Name}' AND status = 6";
        while (await ScalarAsync(sql) == 0)
        {
            if (TimeProvider.System.GetElapsedTime(killedAt) > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{silo.Name} was not declared dead within 2 minutes of its kill.");
            }
            await Task.Delay(50);
        }
        return TimeProvider.System.GetElapsedTime(killedAt);
    }

    public async Task<string?> ScalarTextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() as string;
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

    private void Add(ReplicaProcess replica)
    {
        lock (_replicas)
        {
            _replicas.Add(replica);
        }
    }

    private Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = ConnectionString,
            ["Auth__SigningKey"] = SigningKey,
            ["Cluster__Membership"] = "AdoNet",
            // The drills' partner simulator listens on 127.0.0.1: gateways (subscriptions) and silos (deliveries) allow it.
            ["Messaging__AllowLoopbackWebhooks"] = "true",
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
