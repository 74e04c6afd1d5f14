using System.Diagnostics;
using ReturnOps.BookingRush;

namespace ReturnOps.Grains.Bench;

/// <summary>
/// No-op grain calls on Orleans — in one silo and across two, from outside grains and grain to grain — against the same
/// calls made directly on the grain objects through the same interface. Samples of every way of calling alternate within
/// a scenario, so that the neighbours' load falls on all of them alike.
/// </summary>
internal static class CallThroughput
{
    private const int MaxCallers = 64;

    private sealed record Scenario(string Name, int Callers, bool SharedGrain, bool WithResult);

    private sealed record Sample(double CallsPerSecond, double BytesPerCall, double Others);

    /// <summary>A way of calling: <see cref="Run"/> makes a scenario's calls until a <see cref="Stopwatch"/> deadline and returns how many.</summary>
    private sealed record CallPath(string Name, Func<Scenario, long, Task<long>> Run);

    private static readonly Scenario[] s_scenarios =
    [
        new("1 caller, `Task Ping()`", 1, SharedGrain: false, WithResult: false),
        new("1 caller, `Task<int> Get()`", 1, SharedGrain: false, WithResult: true),
        new("64 callers, own grain each, `Task Ping()`", 64, SharedGrain: false, WithResult: false),
        new("64 callers, own grain each, `Task<int> Get()`", 64, SharedGrain: false, WithResult: true),
        new("64 callers, one shared grain, `Task Ping()`", 64, SharedGrain: true, WithResult: false),
    ];

    public static async Task RunAsync(Settings settings, Report report)
    {
        var silos = await MeasureAndStopAsync(settings, report);
        NoopGrain.Instances.Clear();
        await BenchSilo.WaitUntilCollectedAsync(silos);
    }

    private static async Task<WeakReference[]> MeasureAndStopAsync(Settings settings, Report report)
    {
        await using var single = await BenchSilo.StartPlainAsync("bench-one");
        await using var first = await BenchSilo.StartPlainAsync("bench-two");
        await using var second = await BenchSilo.StartPlainAsync("bench-two", first.SiloEndpoint);
        await first.WaitForActiveSilosAsync(2);
        await second.WaitForActiveSilosAsync(2);

        // One silo: targets and callers live in it. Two silos: targets activated from silo 2 (placed there), callers in silo 1.
        var oneTargets = await PlacedAsync<INoopGrain>(single, "one-", single, g => g.Where());
        var oneCallers = await PlacedAsync<ICallerGrain>(single, "one-caller-", single, g => g.Where());
        await PlacedAsync<INoopGrain>(second, "two-", second, g => g.Where());
        var twoTargets = await PlacedAsync<INoopGrain>(first, "two-", second, g => g.Where());
        var twoCallers = await PlacedAsync<ICallerGrain>(first, "two-caller-", first, g => g.Where());
        var direct = Enumerable.Range(0, MaxCallers).Select(i => (INoopGrain)NoopGrain.Instances[Key("one-", i)]).ToArray();

        var baseline = new CallPath("direct", (s, deadline) => FromOutside(Pick(direct, s), s.WithResult, deadline));
        CallPath[] orleans =
        [
            new("one silo, from outside grains", (s, deadline) => FromOutside(Pick(oneTargets, s), s.WithResult, deadline)),
            new("one silo, grain to grain", (s, deadline) => GrainToGrain(oneCallers, Pick(oneTargets, s), s.WithResult, deadline)),
            new("two silos, outside grains in silo 1 → grains in silo 2", (s, deadline) => FromOutside(Pick(twoTargets, s), s.WithResult, deadline)),
            new("two silos, grains in silo 1 → grains in silo 2", (s, deadline) => GrainToGrain(twoCallers, Pick(twoTargets, s), s.WithResult, deadline)),
        ];
        CallPath[] all = [baseline, .. orleans];

        var samples = new Dictionary<(CallPath, Scenario), List<Sample>>();
        foreach (var scenario in s_scenarios)
        {
            foreach (var path in all)
            {
                await RunSample(path, scenario, settings.WarmUp);
                samples[(path, scenario)] = [];
            }
            for (var i = 0; i < settings.Repetitions; i++)
            {
                foreach (var path in all)
                {
                    samples[(path, scenario)].Add(await RunSample(path, scenario, settings.Sample));
                }
            }
            foreach (var path in all)
            {
                Console.Error.WriteLine($"  calls: {scenario.Name}, {path.Name}: {string.Join(", ", samples[(path, scenario)].Select(s => Measure.Rate(s.CallsPerSecond)))}");
            }
        }

        report.Heading("Call throughput");
        report.Line($"Median of {settings.Repetitions} samples of {settings.Sample.TotalSeconds:0.#} s after a {settings.WarmUp.TotalSeconds:0.#} s warm-up per way of calling; " +
            "within a scenario the samples of all five ways (direct and the four below) alternate. Three plain Orleans silos in this process " +
            "(development clustering, no storage, no call filters): one alone, two clustered. Placement checked with `RuntimeIdentity`: " +
            "the two-silo targets live in silo 2, their callers in silo 1. Bytes/call: `GC.GetTotalAllocatedBytes(precise: true)` over " +
            "the sample divided by the calls (the whole process). Others' CPU: share of the machine used by other processes (median).");
        report.Line();
        report.Line("| calls | scenario | Orleans calls/s | direct calls/s | Orleans / direct | Orleans bytes/call | direct bytes/call | others' CPU |");
        report.Line("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var path in orleans)
        {
            foreach (var scenario in s_scenarios)
            {
                var grain = samples[(path, scenario)];
                var plain = samples[(baseline, scenario)];
                var grainRate = Measure.Median(grain.Select(s => s.CallsPerSecond));
                var directRate = Measure.Median(plain.Select(s => s.CallsPerSecond));
                report.Line($"| {path.Name} | {scenario.Name} | {Measure.Rate(grainRate)} | {Measure.Rate(directRate)} | {Ratio(grainRate / directRate)} " +
                    $"| {Measure.Number(Measure.Median(grain.Select(s => s.BytesPerCall)))} | {Measure.Number(Measure.Median(plain.Select(s => s.BytesPerCall)))} " +
                    $"| {Measure.Percent(Measure.Median(grain.Select(s => s.Others)))} |");
            }
        }
        report.Line();
        return [single.Track(), first.Track(), second.Track()];
    }

    /// <summary>A direct call is a devirtualized, inlined call: Orleans reaches a fraction of a percent of it, so whole percents would all read 0.</summary>
    private static string Ratio(double ratio) => (ratio * 100).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " %";

    private static string Key(string prefix, int i) => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// References from <paramref name="caller"/> to grains <paramref name="prefix"/>0..63, each called once through
    /// <paramref name="where"/> (the first call activates it, placed in the caller's silo); throws unless every one answers
    /// that it lives in <paramref name="expected"/>.
    /// </summary>
    private static async Task<T[]> PlacedAsync<T>(BenchSilo caller, string prefix, BenchSilo expected, Func<T, Task<string>> where)
        where T : IGrainWithStringKey
    {
        var grains = Enumerable.Range(0, MaxCallers).Select(i => caller.Grains.GetGrain<T>(Key(prefix, i))).ToArray();
        for (var i = 0; i < grains.Length; i++)
        {
            var silo = await where(grains[i]);
            if (silo != expected.Identity)
            {
                throw new InvalidOperationException($"Grain {Key(prefix, i)} lives in {silo}, expected {expected.Identity}.");
            }
        }
        return grains;
    }

    private static INoopGrain[] Pick(INoopGrain[] all, Scenario scenario) =>
        [.. Enumerable.Range(0, scenario.Callers).Select(i => scenario.SharedGrain ? all[0] : all[i])];

    /// <summary>Callers are loops on the thread pool, outside any grain.</summary>
    private static async Task<long> FromOutside(INoopGrain[] targets, bool withResult, long deadline)
    {
        var callers = targets.Select(t => Task.Run(() => withResult ? CallLoops.GetLoop(t, deadline) : CallLoops.PingLoop(t, deadline)));
        return (await Task.WhenAll(callers)).Sum();
    }

    /// <summary>Caller <c>i</c> is a grain that loops on target <c>i</c> inside one call of its own.</summary>
    private static async Task<long> GrainToGrain(ICallerGrain[] callers, INoopGrain[] targets, bool withResult, long deadline) =>
        (await Task.WhenAll(targets.Select((t, i) => callers[i].CallUntil(t, withResult, deadline)))).Sum();

    private static async Task<Sample> RunSample(CallPath path, Scenario scenario, TimeSpan duration)
    {
        await Measure.WaitForQuietAsync();
        var cpu = CpuReading.Take();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var calls = await path.Run(scenario, Measure.Deadline(duration));
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new Sample(calls / elapsed.TotalSeconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)calls, CpuReading.Take().OthersSince(cpu));
    }
}

/// <summary>A caller's loop: awaits every call, yields every <see cref="Batch"/> calls so that 64 callers interleave on few cores.</summary>
internal static class CallLoops
{
    public const int Batch = 1024;

    public static async Task<long> PingLoop(INoopGrain target, long deadline)
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

    public static async Task<long> GetLoop(INoopGrain target, long deadline)
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
