using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Gateway.Audit;
using ReturnOps.TestSupport;

namespace ReturnOps.BookingRush;

/// <summary>
/// Diagnostic: how many entries per second the gateway's audit chain takes from concurrent appenders, without HTTP or grains.
/// Every audited request (each booking among them) appends one entry, one at a time per gateway (hash chain).
/// </summary>
internal static class AuditProbe
{
    public static async Task RunAsync(PostgresServer server, Report report, int appends, int[] concurrency)
    {
        report.Line("Audit chain alone (`AuditLog.AppendAsync`, the call every audited request makes), fresh gateway database:");
        report.Line();
        report.Line("| concurrent appenders | appends | appends/s | p50 ms | p99 ms | others' CPU |");
        report.Line("|---:|---:|---:|---:|---:|---:|");
        foreach (var callers in concurrency)
        {
            await using var host = await CoHostedGateway.StartAsync(await server.CreateDatabaseAsync());
            var audit = host.Services.GetRequiredService<AuditLog>();
            var left = appends;
            var latencies = new List<double>[callers];
            var cpu = CpuReading.Take(CpuReading.FindPostmaster(server.Port));
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
            {
                var mine = latencies[i] = [];
                while (Interlocked.Decrement(ref left) >= 0)
                {
                    var sent = Stopwatch.GetTimestamp();
                    await audit.AppendAsync("coordinator-at", "coordinator", "AT", "booking.create", "/api/v1/operations/op-probe/bookings", "201", CancellationToken.None);
                    mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            })));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var others = CpuReading.Take(CpuReading.FindPostmaster(server.Port)).OthersSince(cpu);
            var sorted = latencies.SelectMany(l => l).Order().ToArray();
            report.Line($"| {callers} | {appends} | {Measure.Rate(appends / elapsed.TotalSeconds)} | {Measure.Number(sorted[sorted.Length / 2])} | " +
                $"{Measure.Number(sorted[(int)(sorted.Length * 0.99)])} | {Measure.Percent(others)} |");
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
        report.Line();
    }
}
