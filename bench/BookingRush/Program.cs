using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using ReturnOps.BookingRush;
using ReturnOps.TestSupport;

// The whole matrix in one run, the baseline measured beside ReturnOps in every cell:
//   dotnet run -c Release --project bench/BookingRush -- [--durability on,off] [--topologies one,two] [--scenarios burst,steady]
//     [--bookings 600] [--clerks 10] [--steady-seconds 60] [--read-seconds 5] [--readers 64] [--grain] [--quick] [--out FILE]
// durability: PostgreSQL started by the bench with fsync and synchronous_commit on, or off. topology: one silo co-hosted with the
// gateway, or two silos and two gateways as processes of their own (build first: the Release build of src/Silo and src/Gateway).
// scenarios: the burst (bookings split over 20 countries × clerks clients, on one hot operation and spread over 20) and the steady
// scenario (20 × clerks clients on one hot operation for --steady-seconds, each booking then cancelling). --grain: also the grain
// called directly, on one silo. --quick: seconds, for a smoke run (durability off, one silo, unless given).
// --audit: only the audit-chain probe (appends/s with 20 × clerks concurrent appenders), no rush. --statements: pg_stat_statements
// after every cell, statements and execution time per request (the server preloads it; it costs a little in every cell).
// --dashboard off: the co-hosted silo without Orleans' dashboard (Silo:Dashboard=false), to measure what it costs.
if (args.Contains("--runs") || Option("--clerks")?.Contains(',', StringComparison.Ordinal) == true)
{
    // The form before the matrix (--clerks 1,4,16 --runs 2) would otherwise fail on parsing, or be silently ignored.
    Console.Error.WriteLine("--clerks takes one number now (clients = 20 × clerks, default 10) and --runs is gone: one run measures each cell of the matrix once.");
    return 2;
}
var quick = args.Contains("--quick");
var bookings = Int("--bookings", quick ? 100 : 600);
var clerks = Int("--clerks", quick ? 2 : 10);
var steady = TimeSpan.FromSeconds(Int("--steady-seconds", quick ? 5 : 60));
var readTime = TimeSpan.FromSeconds(Int("--read-seconds", quick ? 1 : 5));
var readers = Int("--readers", 64);
var durabilities = List("--durability", quick ? "off" : "on,off");
var topologies = List("--topologies", quick ? "one" : "one,two");
var scenarios = List("--scenarios", "burst,steady");
var withGrain = args.Contains("--grain");
var statements = args.Contains("--statements");
var dashboard = Option("--dashboard") != "off";
var outFile = Option("--out");

var report = new Report();
var started = Stopwatch.GetTimestamp();
report.Line($"Booking rush at {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, " +
    $".NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; durability {string.Join("/", durabilities)}, " +
    $"topology {string.Join("/", topologies)}, scenarios {string.Join("/", scenarios)}; burst {bookings} bookings, {RushPlan.Countries.Length * clerks} clients; " +
    $"steady {steady.TotalSeconds:N0} s; Orleans dashboard {(dashboard ? "on" : "off")} (one silo); load average at the start {Load.Now().ToString("N1", CultureInfo.InvariantCulture)}.");
report.Line();

if (args.Contains("--audit"))
{
    // Diagnostic only: the audit chain's own rate, the ceiling of every audited request.
    await using var probeServer = await PostgresServer.StartAsync(durable: durabilities[0] == "on");
    await AuditProbe.RunAsync(probeServer, report, bookings, [RushPlan.Countries.Length * clerks]);
    await WriteOutAsync();
    return 0;
}

var results = new List<RushResult>();
var reads = new List<ReadRates>();
foreach (var durability in durabilities)
{
    await using var server = await PostgresServer.StartAsync(durable: durability == "on", statistics: statements);
    var postmaster = CpuReading.FindPostmaster(server.Port);
    foreach (var topology in topologies)
    {
        var names = topology == "two" ? "two silos" : "one silo";
        string[] systems = topology == "one" && withGrain ? ["baseline", "http", "grain"] : ["baseline", "http"];
        // One system after the other through every scenario: the two-silo cluster is started only after the baseline's
        // cells, so that its idle pools (4 × 60 connections) do not take the server's connections (300) from the baseline.
        TwoSiloCluster? cluster = null;
        try
        {
            foreach (var kind in systems)
            {
                if (kind != "baseline" && topology == "two" && cluster is null)
                {
                    Console.Error.WriteLine($"{Now()} durability {durability}: starting two silos and two gateways");
                    cluster = await TwoSiloCluster.StartAsync(server);
                }
                // Warm-up: JIT and pools, on a spread plan; not reported. 400 bookings, not 100: with fewer, the JIT was still
                // compiling the hot path at its second tier during the measured cells (7 % of the process's CPU, issue 13 profile).
                var warm = RushPlan.Make(quick ? 100 : 400, 20, seed: 1);
                await using (var warmSystem = await StartAsync(kind, warm))
                {
                    var warmed = await RushRun.RunAsync(warmSystem, warm, new Setting(durability, names, "warm-up", "spread"), 2, postmaster);
                    Console.Error.WriteLine($"{Now()} {durability} {names} warm-up {warmed.System}: {warmed.PerSecond:N0}/s, check {warmed.Check}");
                }
                Npgsql.NpgsqlConnection.ClearAllPools();
                foreach (var scenario in scenarios)
                {
                    foreach (var layout in scenario == "burst" ? new[] { "hot", "spread" } : ["hot"])
                    {
                        if (scenario != "burst" && kind == "grain")
                        {
                            continue;
                        }
                        var setting = new Setting(durability, names, scenario, layout);
                        IPlan plan = scenario == "burst" ? RushPlan.Make(bookings, layout == "hot" ? 1 : 20, seed: 100 + clerks) : new SteadyPlan(clerks);
                        var system = await StartAsync(kind, plan);
                        await Measure.WaitForQuietAsync(postmaster);
                        if (statements)
                        {
                            await StatementCount.ResetAsync(server);
                        }
                        var result = plan is RushPlan rush
                            ? await RushRun.RunAsync(system, rush, setting, clerks, postmaster)
                            : await SteadyRun.RunAsync(system, (SteadyPlan)plan, setting, steady, postmaster);
                        results.Add(result);
                        Console.Error.WriteLine($"{Now()} {durability} {names} {scenario} {layout} {result.Clients,3} clients {result.System,-21} {result.PerSecond,8:N0}/s " +
                            $"p50 {result.P50:N1} p99 {result.P99:N1} ms, {result.Confirmed}+{result.Waitlisted} booked, {result.Cancelled} cancelled, " +
                            $"{result.Refused} refused, {result.Errors} errors, check {result.Check}, others {Measure.Percent(result.OthersCpu)}, load {result.Load:N1}");
                        if (statements)
                        {
                            await StatementCount.ReportAsync(server, report, $"{durability} {names} {scenario} {layout} {result.System}",
                                result.Confirmed + result.Waitlisted + result.Refused + result.Errors + result.Cancelled);
                        }
                        foreach (var problem in system.Problems)
                        {
                            Console.Error.WriteLine("  first problems: " + problem);
                        }
                        if (result.Check != "ok" && cluster is not null)
                        {
                            Console.Error.WriteLine(cluster.Tails());
                        }
                        await system.DisposeAsync();
                        // Every scenario starts with empty pools: no idle connections of the last one count against max_connections.
                        Npgsql.NpgsqlConnection.ClearAllPools();
                    }
                }
            }

            await using (var readSystem = (ReturnOpsSystem)await StartAsync("http", RushPlan.Make(0, 1, seed: 1)))
            {
                var rates = await ReadRate.RunAsync(readSystem, durability, names, readers, readTime);
                reads.Add(rates);
                Console.Error.WriteLine($"{Now()} {durability} {names} reads: unaudited {rates.Unaudited:N0}/s, audited {rates.Audited:N0}/s " +
                    $"({Measure.Percent(rates.Ratio)}), {rates.Failures} failed");
            }
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }

        async Task<BookingSystem> StartAsync(string kind, IPlan plan) => kind switch
        {
            "baseline" => await BaselineSystem.StartAsync(server, plan, topology == "two" ? 2 : 1),
            _ when cluster is not null => await ReturnOpsSystem.StartAsync(cluster, plan, viaHttp: true, ownsHost: false),
            _ => await ReturnOpsSystem.StartAsync(await CoHostedGateway.StartAsync(await server.CreateDatabaseAsync(), dashboard), plan, viaHttp: kind == "http", ownsHost: true),
        };
    }
}

RushReport.Write(report, results, reads);
var failed = results.Where(r => r.Check != "ok").ToList();
foreach (var r in failed)
{
    report.Line($"CHECK FAILED: {r.Setting} {r.System}: {r.Check}");
}
report.Line($"Total run time: {Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("N0", CultureInfo.InvariantCulture)} s; " +
    $"load average at the end {Load.Now().ToString("N1", CultureInfo.InvariantCulture)}.");
await WriteOutAsync();
return failed.Count == 0 ? 0 : 1;

async Task WriteOutAsync()
{
    if (outFile is not null)
    {
        await File.WriteAllTextAsync(outFile, report.ToString());
    }
}

static string Now() => TimeProvider.System.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

int Int(string name, int otherwise) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : otherwise;

string[] List(string name, string otherwise) => (Option(name) ?? otherwise).Split(',', StringSplitOptions.RemoveEmptyEntries);

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
