using System.Diagnostics;
using System.Globalization;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Bench;

/// <summary>
/// Activates N grains that then stay idle and compares the settled GC heap before and after. The keys
/// are allocated before the first reading, so the figure is what the runtime adds per activation
/// (activation, grain object, catalog entry and, for the stateful grain, the state holder and state).
/// </summary>
internal static class ActivationMemory
{
    private const int Parallelism = 64;

    public static async Task RunAsync(Settings settings, Report report)
    {
        report.Heading("2. Memory per idle activation");
        report.Line($"{settings.Activations:N0} activations per row, kept alive by the runtime (idle collection after 15 min, limit 200,000). " +
            "Heap: `GC.GetTotalMemory` after forced compacting full collections, before activating and after.");
        report.Line();
        report.Line("| grain | activations | heap before (MB) | heap after (MB) | bytes / activation | activations/s |");
        report.Line("|---|---:|---:|---:|---:|---:|");
        await Row(settings, report, "stateless (`IdleGrain`)", (runtime, key) => runtime.GetGrain<IIdleGrain>(key).Touch());
        await Row(settings, report, "with `SmallState { int Value }`, none stored (SQLite read at activation)",
            (runtime, key) => runtime.GetGrain<IStatefulIdleGrain>(key).Touch());
        report.Line();
    }

    private static async Task Row(Settings settings, Report report, string name, Func<GrainRuntime, string, Task> touch)
    {
        await using var storage = await TestStorage.CreateAsync("Sqlite", () => throw new InvalidOperationException("SQLite only."));
        await using var host = await BenchHost.StartAsync(storage);
        var runtime = host.Runtime;

        // Warm-up: JIT, connection pool and first resizes happen here, not in the measurement.
        await ForAll(1_000, i => touch(runtime, "warm-" + i.ToString(CultureInfo.InvariantCulture)));
        var keys = Enumerable.Range(0, settings.Activations).Select(i => "idle-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var countBefore = runtime.ActivationCount;
        var before = Measure.SettledHeap();
        var start = Stopwatch.GetTimestamp();
        await ForAll(keys.Length, i => touch(runtime, keys[i]));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var after = Measure.SettledHeap();
        var added = runtime.ActivationCount - countBefore;
        if (added != keys.Length)
        {
            throw new InvalidOperationException($"Expected {keys.Length} new activations, found {added}.");
        }
        GC.KeepAlive(keys);
        report.Line($"| {name} | {added:N0} | {Measure.Number(before / 1048576.0)} | {Measure.Number(after / 1048576.0)} " +
            $"| {Measure.Number((after - before) / (double)added, 0)} | {Measure.Rate(added / elapsed.TotalSeconds)} |");
    }

    /// <summary>Runs <paramref name="work"/> for 0..count-1 with up to <see cref="Parallelism"/> in flight.</summary>
    private static Task ForAll(int count, Func<int, Task> work)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, Parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await work(i);
            }
        }));
    }
}
