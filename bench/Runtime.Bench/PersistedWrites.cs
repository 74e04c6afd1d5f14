using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>
/// Grain writes (increment the state, <c>WriteStateAsync</c>) with 1, 16 and 64 concurrent grains, each
/// caller on its own grain, beside pgbench's single-row update on the same server in the same run.
/// Samples alternate grain / pgbench so that both see the same server state.
/// </summary>
internal static partial class PersistedWrites
{
    private const int PgbenchRows = 100_000;
    private static readonly int[] s_concurrency = [1, 16, 64];

    private sealed record Sample(double PerSecond, double MachineBusy, double BenchCores, long Count);

    public static async Task RunAsync(Settings settings, Report report)
    {
        var pgbench = FindPgbench();
        await using var server = await PostgresServer.StartAsync();
        await using var storage = await TestStorage.CreateAsync("Postgres", () => Task.FromResult(server));
        var pgbenchDatabase = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()).Database!;
        await PreparePgbenchTable(server.ConnectionString(pgbenchDatabase));
        var script = Path.Combine(Path.GetTempPath(), $"returnops-pgbench-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script, $"\\set id random(1, {PgbenchRows})\nUPDATE t SET v = v + 1 WHERE id = :id;\n");
        try
        {
            await using var host = await BenchHost.StartAsync(storage);
            var grains = Enumerable.Range(0, s_concurrency.Max())
                .Select(i => host.Runtime.GetGrain<IWriteGrain>("writer-" + i.ToString(CultureInfo.InvariantCulture)))
                .ToArray();
            long written = 0;
            foreach (var grain in grains)
            {
                await grain.Increment(); // activation read and the first write (an insert)
                written++;
            }

            report.Heading("3. Persisted writes on PostgreSQL");
            report.Line($"Median of {settings.WriteRepetitions} samples of {settings.WriteSample.TotalSeconds:0.#} s after {settings.WriteWarmUp.TotalSeconds:0.#} s warm-up per side; " +
                "grain and pgbench samples alternate on one server. Grain: each caller loops `await grain.Increment()` on its own grain " +
                $"(state +1, `WriteStateAsync`). pgbench: `\\set id random(1, {PgbenchRows})` + `UPDATE t SET v = v + 1 WHERE id = :id`, " +
                "`-c N -j min(N, nproc) -T`, default (simple) protocol. CPU: whole-machine busy share from /proc/stat during the sample; " +
                "bench cores: CPU used by this .NET process (the runtime, Npgsql) during grain samples.");
            report.Line();
            report.Line("| concurrent | grain writes/s | pgbench updates/s | grain / pgbench | machine CPU busy (grain / pgbench) | bench process cores (grain) |");
            report.Line("|---:|---:|---:|---:|---:|---:|");
            foreach (var concurrency in s_concurrency)
            {
                var callers = grains.Take(concurrency).ToArray();
                written += (await GrainSample(callers, settings.WriteWarmUp)).Count;
                await PgbenchSample(pgbench, server, pgbenchDatabase, script, concurrency, settings.WriteWarmUp);
                var grain = new List<Sample>();
                var bench = new List<Sample>();
                for (var i = 0; i < settings.WriteRepetitions; i++)
                {
                    grain.Add(await GrainSample(callers, settings.WriteSample));
                    written += grain[^1].Count;
                    bench.Add(await PgbenchSample(pgbench, server, pgbenchDatabase, script, concurrency, settings.WriteSample));
                }
                var grainRate = Measure.Median(grain.Select(s => s.PerSecond));
                var benchRate = Measure.Median(bench.Select(s => s.PerSecond));
                report.Line($"| {concurrency} | {Measure.Rate(grainRate)} | {Measure.Rate(benchRate)} | {Measure.Percent(grainRate / benchRate)} " +
                    $"| {Measure.Percent(Measure.Median(grain.Select(s => s.MachineBusy)))} / {Measure.Percent(Measure.Median(bench.Select(s => s.MachineBusy)))} " +
                    $"| {Measure.Number(Measure.Median(grain.Select(s => s.BenchCores)), 2)} |");
                Console.Error.WriteLine($"  writes: {concurrency}: grain {string.Join(", ", grain.Select(s => Measure.Rate(s.PerSecond)))}; pgbench {string.Join(", ", bench.Select(s => Measure.Rate(s.PerSecond)))}");
            }
            var stored = await storage.ScalarAsync("SELECT coalesce(sum(version), 0) FROM grain_state");
            if (stored != written)
            {
                throw new InvalidOperationException($"The grains counted {written} writes but the stored versions add up to {stored}.");
            }
            report.Line();
            report.Line($"Check: the stored grain versions add up to the {written:N0} writes the callers counted.");
            report.Line();
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<Sample> GrainSample(IWriteGrain[] grains, TimeSpan duration)
    {
        var cpu = CpuReading.Take();
        var start = Stopwatch.GetTimestamp();
        var deadline = Measure.Deadline(duration);
        var counts = await Task.WhenAll(grains.Select(async grain =>
        {
            long writes = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await grain.Increment();
                writes++;
            }
            return writes;
        }));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var end = CpuReading.Take();
        return new Sample(counts.Sum() / elapsed.TotalSeconds, end.MachineBusySince(cpu), end.ProcessCoresSince(cpu, elapsed), counts.Sum());
    }

    private static async Task<Sample> PgbenchSample(string pgbench, PostgresServer server, string database, string script, int clients, TimeSpan duration)
    {
        var threads = Math.Min(clients, Environment.ProcessorCount);
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var info = new ProcessStartInfo(pgbench,
            $"-h 127.0.0.1 -p {server.Port} -U postgres -n -f {script} -c {clients} -j {threads} -T {seconds} {database}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var cpu = CpuReading.Take();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start pgbench.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var end = CpuReading.Take();
        var text = await output;
        var match = TpsPattern().Match(text);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await error}{text}");
        }
        return new Sample(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), end.MachineBusySince(cpu), double.NaN, 0);
    }

    private static async Task PreparePgbenchTable(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "CREATE TABLE t (id integer PRIMARY KEY, v bigint NOT NULL)",
            $"INSERT INTO t SELECT g, 0 FROM generate_series(1, {PgbenchRows}) g",
            "VACUUM ANALYZE t",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string FindPgbench() =>
        new[] { "/usr/lib/postgresql/15/bin/pgbench", "/usr/bin/pgbench" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("pgbench not found; install postgresql-15 (./test.sh does).");

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();
}
