using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using ReturnOps.Grains.Operations;

namespace ReturnOps.TenYears;

/// <summary>
/// One provider: migrate (a gateway start), load, restart the gateway (cold grains, as days after the load), check
/// reachability and statistics, measure. Returns the report's lines; a failed check throws, so no figure is reported for a
/// data set the API does not serve correctly.
/// </summary>
public static class VolumeRun
{
    private const int Connections = 8;

    public static async Task<List<string>> RunAsync(string provider, string connectionString, DataSet data, TimeSpan duration)
    {
        var lines = new List<string> { "", $"### {provider}", "" };
        await (await BenchGateway.StartAsync(provider, connectionString)).DisposeAsync();
        var loaded = await Loader.LoadAsync(provider, connectionString, data);
        if (provider == "Postgres")
        {
            // What autovacuum does within a minute of a bulk load; run here so the measurement does not race it.
            await ExecuteAsync(provider, connectionString, "ANALYZE");
        }
        lines.Add($"Loaded in {loaded.TotalSeconds:F0} s (load average before: {LoadAverage()}).");
        lines.AddRange(await Plans.ExplainAsync(provider, connectionString));
        Console.Error.WriteLine($"{provider}: loaded in {loaded.TotalSeconds:F0} s");

        await using var gateway = await BenchGateway.StartAsync(provider, connectionString);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections * 2 }) { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(60) };

        var reach = await Reachability.CheckAsync(http, gateway, data);
        lines.Add(reach.Summary);
        var statistics = await StatisticsCheck.CheckAsync(http, gateway, provider, connectionString, data);
        lines.Add(statistics);
        Console.Error.WriteLine($"{provider}: {reach.Summary} {statistics}");

        var de = gateway.Coordinator("DE");
        var secretariat = gateway.Role("secretariat");
        // An operation ahead with German bookings (its cases are Booked, not yet erased), else any with German bookings.
        var booked = data.Operations.Where(o => o.State.Bookings.Any(b => b.Country == "DE"))
            .OrderByDescending(o => o.State.Status is OperationStatus.Confirmed or OperationStatus.Announced).First();
        var organiser = gateway.Coordinator(booked.State.Plan!.Organiser);
        var endpoints = new (string Name, string Path, string Token)[]
        {
            ("/returnees (DE), first page", "/api/v1/returnees", de),
            ("/returnees?status=Available (DE)", "/api/v1/returnees?status=Available", de),
            ("/returnees?nationality=AL (DE)", "/api/v1/returnees?nationality=AL", de),
            ("/returnees?reference=DE-2021-12 (DE)", "/api/v1/returnees?reference=DE-2021-12", de),
            ($"/returnees?operation= (DE, one operation)", $"/api/v1/returnees?operation={booked.Id}", de),
            ("/returnees (DE), a page in the middle", After("/api/v1/returnees?includeErased=true", reach.MiddleCursorDe), de),
            ("/returnees (SI), first page", "/api/v1/returnees", gateway.Coordinator("SI")),
            ("/operations, first page", "/api/v1/operations", secretariat),
            ("/operations, last page (cursor)", After("/api/v1/operations", reach.LastOperationsCursor), secretariat),
            ("/operations?page=60 (offset)", "/api/v1/operations?page=60&pageSize=50", secretariat),
            ("/operations?status=Completed", "/api/v1/operations?status=Completed", secretariat),
            ("/operations?organiser=DE (DE)", "/api/v1/operations?organiser=DE", de),
            ("/operations/{id}/bookings (organiser)", $"/api/v1/operations/{booked.Id}/bookings", organiser),
            ("/readmission-requests (DE)", "/api/v1/readmission-requests", de),
            ("/notifications (DE)", "/api/v1/notifications", de),
            ("/audit (admin), first page", "/api/v1/audit", gateway.Role("admin")),
            ("/audit?action=returnee.read (admin)", "/api/v1/audit?action=returnee.read", gateway.Role("admin")),
            ("/deliveries (secretariat)", "/api/v1/deliveries", secretariat),
            ("/statistics?year=2020", "/api/v1/statistics?year=2020", secretariat),
            ("/statistics?year=2025", "/api/v1/statistics?year=2025", secretariat),
        };
        lines.Add("");
        lines.Add("| endpoint | p50 ms | p95 ms | p99 ms | req/s | requests | failed | load avg (1 min) after |");
        lines.Add("|---|---|---|---|---|---|---|---|");
        foreach (var (name, path, token) in endpoints)
        {
            var result = await Load.RunAsync(http, name, path, token, Connections, TimeSpan.FromSeconds(1), duration);
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| `{name}` | {result.P50:F1} | {result.P95:F1} | {result.P99:F1} | {result.PerSecond:F0} | {result.Requests} | {result.Failures} | {LoadAverage()} |");
            lines.Add(row);
            Console.Error.WriteLine(row + (result.FirstFailure is null ? "" : "  first failure: " + result.FirstFailure));
        }
        return lines;
    }

    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static async Task<long> ScalarAsync(string provider, string connectionString, string sql)
    {
        await using DbConnection connection = provider == "Postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }

    private static Task<long> ExecuteAsync(string provider, string connectionString, string sql) => ScalarAsync(provider, connectionString, sql);

    /// <summary><paramref name="path"/> from <paramref name="cursor"/> on, or its first page when the cursor is empty.</summary>
    private static string After(string path, string cursor) =>
        cursor.Length == 0 ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "after=" + Uri.EscapeDataString(cursor);

    public static async Task<JsonElement> GetAsync(HttpClient http, string path, string token, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}, expected {(int)expected}: {body[..Math.Min(body.Length, 300)]}");
        }
        return body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default;
    }
}
