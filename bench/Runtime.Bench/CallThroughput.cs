using System.Diagnostics;
using System.Globalization;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>
/// No-op grain calls through generated references against the same calls made directly on the grain
/// objects through the same interface. Each caller loops on its own target and yields to the thread pool
/// every <see cref="Batch"/> calls, so that 64 callers interleave on few cores.
/// </summary>
internal static class CallThroughput
{
    private const int Batch = 1024;

    private sealed record Scenario(string Name, int Callers, bool SharedGrain, bool WithResult);

    private sealed record Sample(double CallsPerSecond, double BytesPerCall, double Others);

    public static async Task RunAsync(Settings settings, Report report)
    {
        await using var storage = await TestStorage.CreateAsync("Sqlite", () => throw new InvalidOperationException("SQLite only."));
        await using var host = await BenchHost.StartAsync(storage);
        var keys = Enumerable.Range(0, 64).Select(i => "noop-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var references = keys.Select(k => host.Runtime.GetGrain<INoopGrain>(k)).ToArray();
        foreach (var reference in references)
        {
            await reference.Ping();
        }
        var objects = keys.Select(k => (INoopGrain)NoopGrain.Instances[k]).ToArray();

        Scenario[] scenarios =
        [
            new("1 caller, `Task Ping()`", 1, SharedGrain: false, WithResult: false),
            new("1 caller, `Task<int> Get()`", 1, SharedGrain: false, WithResult: true),
            new("64 callers, own grain each, `Task Ping()`", 64, SharedGrain: false, WithResult: false),
            new("64 callers, own grain each, `Task<int> Get()`", 64, SharedGrain: false, WithResult: true),
            new("64 callers, one shared grain, `Task Ping()`", 64, SharedGrain: true, WithResult: false),
        ];

        report.Heading("1. In-process call throughput");
        report.Line($"Median of {settings.Repetitions} samples of {settings.Sample.TotalSeconds:0.#} s after {settings.WarmUp.TotalSeconds:0.#} s warm-up; grain and direct samples alternate. " +
            "Bytes/call: `GC.GetTotalAllocatedBytes(precise: true)` over the sample divided by the calls. " +
            "Others: share of the machine's CPU used by other processes during the grain samples (median).");
        report.Line();
        report.Line("| scenario | grain calls/s | direct calls/s | grain / direct | grain bytes/call | direct bytes/call | others' CPU |");
        report.Line("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var scenario in scenarios)
        {
            var grainTargets = Targets(references, scenario);
            var directTargets = Targets(objects, scenario);
            await RunSample(grainTargets, scenario.WithResult, settings.WarmUp);
            await RunSample(directTargets, scenario.WithResult, settings.WarmUp);
            var grain = new List<Sample>();
            var direct = new List<Sample>();
            for (var i = 0; i < settings.Repetitions; i++)
            {
                grain.Add(await RunSample(grainTargets, scenario.WithResult, settings.Sample));
                direct.Add(await RunSample(directTargets, scenario.WithResult, settings.Sample));
            }
            var grainRate = Measure.Median(grain.Select(s => s.CallsPerSecond));
            var directRate = Measure.Median(direct.Select(s => s.CallsPerSecond));
            report.Line($"| {scenario.Name} | {Measure.Rate(grainRate)} | {Measure.Rate(directRate)} | {Measure.Percent(grainRate / directRate)} " +
                $"| {Measure.Number(Measure.Median(grain.Select(s => s.BytesPerCall)))} | {Measure.Number(Measure.Median(direct.Select(s => s.BytesPerCall)))} " +
                $"| {Measure.Percent(Measure.Median(grain.Select(s => s.Others)))} |");
            Console.Error.WriteLine($"  calls: {scenario.Name}: grain {string.Join(", ", grain.Select(s => Measure.Rate(s.CallsPerSecond)))}; direct {string.Join(", ", direct.Select(s => Measure.Rate(s.CallsPerSecond)))}");
        }
        report.Line();
    }

    private static INoopGrain[] Targets(INoopGrain[] all, Scenario scenario) =>
        [.. Enumerable.Range(0, scenario.Callers).Select(i => scenario.SharedGrain ? all[0] : all[i])];

    private static async Task<Sample> RunSample(INoopGrain[] targets, bool withResult, TimeSpan duration)
    {
        await Measure.WaitForQuietAsync();
        var cpu = CpuReading.Take();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var deadline = Measure.Deadline(duration);
        var callers = targets.Select(t => Task.Run(() => withResult ? GetLoop(t, deadline) : PingLoop(t, deadline))).ToArray();
        var counts = await Task.WhenAll(callers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var calls = counts.Sum();
        return new Sample(calls / elapsed.TotalSeconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)calls, CpuReading.Take().OthersSince(cpu));
    }

    private static async Task<long> PingLoop(INoopGrain target, long deadline)
    {
        long calls = 0;
        do
        {
            for (var i = 0; i < Batch; i++)
            {
                await target.Ping();
            }
            calls += Batch;
            await Task.Yield();
        }
        while (Stopwatch.GetTimestamp() < deadline);
        return calls;
    }

    private static async Task<long> GetLoop(INoopGrain target, long deadline)
    {
        long calls = 0;
        long sum = 0;
        do
        {
            for (var i = 0; i < Batch; i++)
            {
                sum += await target.Get();
            }
            calls += Batch;
            await Task.Yield();
        }
        while (Stopwatch.GetTimestamp() < deadline);
        return sum == 42 * calls ? calls : throw new InvalidOperationException("A call returned a wrong result.");
    }
}
