using System.Diagnostics;
using System.Globalization;
using ReturnOps.BookingRush;
using ReturnOps.Grains.Returnees;

namespace ReturnOps.Grains.Bench;

/// <summary>
/// Activates N grains that then stay idle and compares the settled GC heap before and after. The keys are allocated
/// before the first reading, so the figure is what Orleans (and, for the stateful rows, the state holder, the state and
/// our storage) adds per activation: activation, grain object, grain id, directory entry, working-set entry.
/// </summary>
internal static class ActivationMemory
{
    private const int Parallelism = 64;

    public static async Task RunAsync(Settings settings, Report report)
    {
        report.Heading("Memory per idle activation");
        report.Line($"{settings.Activations:N0} activations per row ({Parallelism} at a time, from outside grains, after 1,000 others as a warm-up), " +
            "kept by Orleans (collection age 2 h, no shedding on memory pressure); a fresh silo per row. " +
            "Heap: `GC.GetTotalMemory` after forced compacting full collections, before activating and after.");
        report.Line();
        report.Line("| grain | silo | activations | heap before (MB) | heap after (MB) | bytes / activation | activations/s |");
        report.Line("|---|---|---:|---:|---:|---:|---:|");
        await Row(settings, report, "stateless (`IdleGrain`)", "plain Orleans", () => BenchSilo.StartPlainAsync("bench-memory"),
            (grains, key) => grains.GetGrain<IIdleGrain>(key).Touch());
        await Row(settings, report, "`SmallState { int Value }`, none stored (SQLite read at activation)", "`AddReturnOpsSilo`, SQLite",
            BenchSilo.StartReturnOpsAsync, (grains, key) => grains.GetGrain<IStatefulIdleGrain>(key).Touch());
        await Row(settings, report, "`IReturneeGrain` through `Get()` ([ReadOnly]), none stored (SQLite read at activation)", "`AddReturnOpsSilo`, SQLite",
            BenchSilo.StartReturnOpsAsync, (grains, key) => grains.GetGrain<IReturneeGrain>(key).Get());
        report.Line();
    }

    private static async Task Row(Settings settings, Report report, string name, string siloName, Func<Task<BenchSilo>> start, Func<IGrainFactory, string, Task> touch) =>
        await BenchSilo.WaitUntilCollectedAsync(await MeasureAndStopAsync(settings, report, name, siloName, start, touch));

    private static async Task<WeakReference> MeasureAndStopAsync(Settings settings, Report report, string name, string siloName, Func<Task<BenchSilo>> start,
        Func<IGrainFactory, string, Task> touch)
    {
        await using var silo = await start();
        await MeasureRow(settings, report, name, siloName, silo, touch);
        return silo.Track();
    }

    private static async Task MeasureRow(Settings settings, Report report, string name, string siloName, BenchSilo silo, Func<IGrainFactory, string, Task> touch)
    {
        var grains = silo.Grains;

        // Warm-up: JIT, connection pool and first resizes happen here, not in the measurement.
        await ForAll(1_000, i => touch(grains, "warm-" + i.ToString(CultureInfo.InvariantCulture)));
        var keys = Enumerable.Range(0, settings.Activations).Select(i => "idle-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var countBefore = await silo.ActivationCountAsync();
        var before = Measure.SettledHeap();
        var start = Stopwatch.GetTimestamp();
        await ForAll(keys.Length, i => touch(grains, keys[i]));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var after = Measure.SettledHeap();
        var added = await silo.ActivationCountAsync() - countBefore;
        if (added < keys.Length)
        {
            throw new InvalidOperationException($"Expected {keys.Length} new activations, found {added}: some were collected.");
        }
        GC.KeepAlive(keys);
        report.Line($"| {name} | {siloName} | {added:N0} | {Measure.Number(before / 1048576.0)} | {Measure.Number(after / 1048576.0)} " +
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
