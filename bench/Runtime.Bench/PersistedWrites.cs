using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>
/// Grain writes (increment the state, <c>WriteStateAsync</c>) with 1, 16 and 64 concurrent grains, each
/// caller on its own grain, beside pgbench's single-row update on the same server in the same run.
/// A second pgbench script adds one <c>pg_notify</c> per update: the runtime announces every write on
/// its change feed, so this bounds what the runtime could reach at low concurrency (it batches up to
/// 50 changes per NOTIFY when writes queue up). Samples alternate so that all see the same server.
/// </summary>
internal static partial class PersistedWrites
{
    private const int PgbenchRows = 100_000;
    private static readonly int[] s_concurrency = [1, 16, 64];

    private sealed record Sample(double PerSecond, double Others, double BenchCores, long Count);

    public static async Task RunAsync(Settings settings, Report report)
    {
        var pgbench = FindPgbench();
        await using var server = await PostgresServer.StartAsync();
        var postmaster = CpuReading.FindPostmaster(server.Port);
        await using var storage = await TestStorage.CreateAsync("Postgres", () => Task.FromResult(server));
        var pgbenchDatabase = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()).Database!;
        await PreparePgbenchTable(server.ConnectionString(pgbenchDatabase));
        await using var npgsql = NpgsqlDataSource.Create(server.ConnectionString(pgbenchDatabase));
        var update = Path.Combine(Path.GetTempPath(), $"returnops-pgbench-{Environment.ProcessId}-update.sql");
        var notify = Path.Combine(Path.GetTempPath(), $"returnops-pgbench-{Environment.ProcessId}-notify.sql");
        await File.WriteAllTextAsync(update, $"\\set id random(1, {PgbenchRows})\nUPDATE t SET v = v + 1 WHERE id = :id;\n");
        await File.WriteAllTextAsync(notify, $"\\set id random(1, {PgbenchRows})\nUPDATE t SET v = v + 1 WHERE id = :id;\nSELECT pg_notify('bench', 'grain/key-123:42');\n");
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
            report.Line($"Median of {settings.WriteRepetitions} samples of {settings.WriteSample.TotalSeconds:0.#} s per side after a warm-up " +
                $"({settings.WriteWarmUp.TotalSeconds:0.#} s grain, {PgbenchSeconds(settings.WriteWarmUp)} s pgbench); grain and pgbench samples alternate on one server " +
                $"(PostgreSQL 15 as `tests/TestSupport/PostgresServer` starts it: fsync, synchronous_commit and full_page_writes off, shared_buffers 128MB). " +
                "Grain: each caller loops `await grain.Increment()` on its own grain (state +1, `WriteStateAsync`: one autocommit UPDATE). " +
                $"pgbench: `\\set id random(1, {PgbenchRows})` + `UPDATE t SET v = v + 1 WHERE id = :id`, `-c N -j min(N, nproc) -T`, simple protocol, " +
                "tps without initial connection time; \"+ NOTIFY\" adds `SELECT pg_notify(...)` after each update. " +
                "Npgsql: the same UPDATE from this process through an `NpgsqlDataSource` (open from the pool, execute, close), N concurrent loops, no runtime. " +
                "Others: share of the machine's CPU used by processes other than this benchmark, its pgbench and its PostgreSQL (median over the grain samples / the pgbench UPDATE samples). " +
                "Bench cores: CPU used by this .NET process (runtime, Npgsql, thread pool) during grain samples.");
            report.Line();
            report.Line("| concurrent | grain writes/s | pgbench UPDATE/s | grain / pgbench | pgbench UPDATE + NOTIFY/s | Npgsql UPDATE/s | others' CPU (grain / pgbench) | bench process cores (grain / Npgsql) |");
            report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var concurrency in s_concurrency)
            {
                var callers = grains.Take(concurrency).ToArray();
                written += (await GrainSample(callers, settings.WriteWarmUp, postmaster)).Count;
                await PgbenchSample(pgbench, server, pgbenchDatabase, update, concurrency, PgbenchSeconds(settings.WriteWarmUp), postmaster);
                await PgbenchSample(pgbench, server, pgbenchDatabase, notify, concurrency, PgbenchSeconds(settings.WriteWarmUp), postmaster);
                await NpgsqlSample(npgsql, concurrency, settings.WriteWarmUp, postmaster);
                var grain = new List<Sample>();
                var plain = new List<Sample>();
                var notifying = new List<Sample>();
                var driver = new List<Sample>();
                var seconds = PgbenchSeconds(settings.WriteSample);
                for (var i = 0; i < settings.WriteRepetitions; i++)
                {
                    grain.Add(await GrainSample(callers, settings.WriteSample, postmaster));
                    written += grain[^1].Count;
                    plain.Add(await PgbenchSample(pgbench, server, pgbenchDatabase, update, concurrency, seconds, postmaster));
                    notifying.Add(await PgbenchSample(pgbench, server, pgbenchDatabase, notify, concurrency, seconds, postmaster));
                    driver.Add(await NpgsqlSample(npgsql, concurrency, settings.WriteSample, postmaster));
                }
                var grainRate = Measure.Median(grain.Select(s => s.PerSecond));
                var plainRate = Measure.Median(plain.Select(s => s.PerSecond));
                var notifyRate = Measure.Median(notifying.Select(s => s.PerSecond));
                var driverRate = Measure.Median(driver.Select(s => s.PerSecond));
                report.Line($"| {concurrency} | {Measure.Rate(grainRate)} | {Measure.Rate(plainRate)} | **{Measure.Percent(grainRate / plainRate)}** " +
                    $"| {Measure.Rate(notifyRate)} | {Measure.Rate(driverRate)} " +
                    $"| {Measure.Percent(Measure.Median(grain.Select(s => s.Others)))} / {Measure.Percent(Measure.Median(plain.Select(s => s.Others)))} " +
                    $"| {Measure.Number(Measure.Median(grain.Select(s => s.BenchCores)), 2)} / {Measure.Number(Measure.Median(driver.Select(s => s.BenchCores)), 2)} |");
                Console.Error.WriteLine($"  writes {concurrency}: grain {Samples(grain)}; pgbench {Samples(plain)}; pgbench+notify {Samples(notifying)}; npgsql {Samples(driver)}");
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
            File.Delete(update);
            File.Delete(notify);
        }
    }

    private static string Samples(List<Sample> samples) =>
        string.Join(", ", samples.Select(s => $"{Measure.Rate(s.PerSecond)} (others {Measure.Percent(s.Others)})"));

    // pgbench's -T includes connecting its clients, which here takes a while for 64; it reports the rate without it.
    private static int PgbenchSeconds(TimeSpan duration) => Math.Max(5, (int)Math.Round(duration.TotalSeconds));

    private static async Task<Sample> GrainSample(IWriteGrain[] grains, TimeSpan duration, int? postmaster)
    {
        await Measure.WaitForQuietAsync(postmaster);
        var cpu = CpuReading.Take(postmaster);
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
        var end = CpuReading.Take(postmaster);
        return new Sample(counts.Sum() / elapsed.TotalSeconds, end.OthersSince(cpu), end.ProcessCoresSince(cpu, elapsed), counts.Sum());
    }

    private static async Task<Sample> PgbenchSample(string pgbench, PostgresServer server, string database, string script, int clients, int seconds, int? postmaster)
    {
        await Measure.WaitForQuietAsync(postmaster);
        var threads = Math.Min(clients, Environment.ProcessorCount);
        var info = new ProcessStartInfo(pgbench,
            $"-h 127.0.0.1 -p {server.Port} -U postgres -n -f {script} -c {clients} -j {threads} -T {seconds} {database}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var cpu = CpuReading.Take(postmaster);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start pgbench.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var end = CpuReading.Take(postmaster);
        var text = await output;
        var match = TpsPattern().Match(text);
        if (process.ExitCode != 0 || !match.Success || ProcessedPattern().Match(text) is not { Success: true } processed || processed.Groups[1].Value == "0")
        {
            throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await error}{text}");
        }
        return new Sample(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), end.OthersSince(cpu), double.NaN, 0);
    }

    private static async Task<Sample> NpgsqlSample(NpgsqlDataSource source, int concurrency, TimeSpan duration, int? postmaster)
    {
        await Measure.WaitForQuietAsync(postmaster);
        var cpu = CpuReading.Take(postmaster);
        var start = Stopwatch.GetTimestamp();
        var deadline = Measure.Deadline(duration);
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            long updates = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await using var connection = await source.OpenConnectionAsync();
                await using var command = new NpgsqlCommand("UPDATE t SET v = v + 1 WHERE id = @id", connection);
                command.Parameters.AddWithValue("id", Random.Shared.Next(1, PgbenchRows + 1));
                await command.ExecuteNonQueryAsync();
                updates++;
            }
            return updates;
        }));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var end = CpuReading.Take(postmaster);
        return new Sample(counts.Sum() / elapsed.TotalSeconds, end.OthersSince(cpu), end.ProcessCoresSince(cpu, elapsed), counts.Sum());
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

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex ProcessedPattern();
}
