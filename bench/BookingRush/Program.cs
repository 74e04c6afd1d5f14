using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using ReturnOps.BookingRush;
using ReturnOps.TestSupport;

// Usage: dotnet run -c Release --project bench/BookingRush -- [--bookings 600] [--clerks 1,4,16] [--runs 2] [--quick] [--out FILE] [--audit]
// --audit: only the audit-chain probe (appends/s with 20 × clerks concurrent appenders), no rush.
var quick = args.Contains("--quick");
var bookings = int.Parse(Option("--bookings") ?? (quick ? "100" : "600"), CultureInfo.InvariantCulture);
var clerkCounts = (Option("--clerks") ?? (quick ? "1,4" : "1,4,16")).Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var runs = int.Parse(Option("--runs") ?? (quick ? "1" : "2"), CultureInfo.InvariantCulture);
var outFile = Option("--out");

var report = new Report();
var started = Stopwatch.GetTimestamp();
report.Line($"Booking rush at {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, " +
    $".NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; {bookings} bookings per scenario, clerks per country " +
    $"{string.Join("/", clerkCounts)}, {runs} run(s).");
report.Line();

await using var server = await PostgresServer.StartAsync();
var postmaster = CpuReading.FindPostmaster(server.Port);
if (args.Contains("--audit"))
{
    // Diagnostic only: the audit chain's own rate, the ceiling of every audited request.
    await AuditProbe.RunAsync(server, report, bookings, clerkCounts.Select(c => c * RushPlan.Countries.Length).ToArray());
    if (outFile is not null)
    {
        await File.WriteAllTextAsync(outFile, report.ToString());
    }
    return 0;
}
string[] systems = ["baseline", "http", "grain"];

// Warm-up: JIT and pools of every system, on a small spread plan; not reported.
foreach (var kind in systems)
{
    var warm = RushPlan.Make(100, 20, seed: 1);
    var system = await StartAsync(kind, warm);
    var result = await RushRun.RunAsync(system, warm, "warm-up", 2, postmaster);
    Console.Error.WriteLine($"warm-up {result.System}: {result.PerSecond:N0}/s, check {result.Check}");
    await system.DisposeAsync();
    Npgsql.NpgsqlConnection.ClearAllPools();
}

var results = new List<(int Run, RushResult Result)>();
for (var run = 1; run <= runs; run++)
{
    foreach (var layout in new[] { "hot", "spread" })
    {
        foreach (var clerks in clerkCounts)
        {
            var plan = RushPlan.Make(bookings, layout == "hot" ? 1 : 20, seed: (run * 100) + clerks);
            // Alternate the order between runs so that neither system always goes first on a warmer or cooler machine.
            foreach (var kind in run % 2 == 1 ? systems : systems.Reverse())
            {
                var system = await StartAsync(kind, plan);
                await Measure.WaitForQuietAsync(postmaster);
                var result = await RushRun.RunAsync(system, plan, layout, clerks, postmaster);
                results.Add((run, result));
                Console.Error.WriteLine($"run {run} {layout} {result.Clients,3} clients {result.System,-21} {result.PerSecond,8:N0}/s p50 {result.P50:N1} " +
                    $"p99 {result.P99:N1} ms, {result.Confirmed}+{result.Waitlisted} booked, {result.Refused} refused, {result.Errors} errors, " +
                    $"check {result.Check}, others {Measure.Percent(result.OthersCpu)}, load {result.Load:N1}");
                if (system is ReturnOpsSystem returnOps)
                {
                    Console.Error.WriteLine($"  largest operation state: {await returnOps.LargestOperationStateAsync():N0} characters");
                }
                foreach (var problem in system.Problems)
                {
                    Console.Error.WriteLine("  first problems: " + problem);
                }
                await system.DisposeAsync();
                // Every scenario starts with empty pools: no idle connections of the last one count against max_connections.
                Npgsql.NpgsqlConnection.ClearAllPools();
            }
        }
    }
}

RushReport.Write(report, results);
report.Line($"Total run time: {Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s.");
if (outFile is not null)
{
    await File.WriteAllTextAsync(outFile, report.ToString());
}
return results.All(r => r.Result.Check == "ok") ? 0 : 1;

async Task<BookingSystem> StartAsync(string kind, RushPlan plan) => kind switch
{
    "baseline" => await BaselineSystem.StartAsync(server, plan),
    "http" => await ReturnOpsSystem.StartAsync(server, plan, viaHttp: true),
    _ => await ReturnOpsSystem.StartAsync(server, plan, viaHttp: false),
};

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
