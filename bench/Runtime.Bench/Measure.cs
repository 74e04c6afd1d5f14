using System.Diagnostics;
using System.Globalization;

namespace ReturnOps.Runtime.Bench;

/// <summary>How long and how often each benchmark measures.</summary>
internal sealed record Settings(TimeSpan WarmUp, TimeSpan Sample, int Repetitions, int Activations, TimeSpan WriteWarmUp, TimeSpan WriteSample, int WriteRepetitions)
{
    public static Settings Full { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 5, 100_000, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 3);

    public static Settings Quick { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300), 3, 10_000, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), 1);
}

internal static class Measure
{
    public static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static long Deadline(TimeSpan duration) => Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Full, compacting collections until the heap stops shrinking; returns its size in bytes.</summary>
    public static long SettledHeap()
    {
        var last = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var now = GC.GetTotalMemory(forceFullCollection: false);
            if (now >= last)
            {
                return now;
            }
            last = now;
        }
        return last;
    }

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Percent(double ratio) => (ratio * 100).ToString("N0", CultureInfo.InvariantCulture) + " %";
}

/// <summary>Busy share of all CPUs from /proc/stat between two readings (Linux only; NaN elsewhere).</summary>
internal readonly record struct CpuReading(long Busy, long Total, TimeSpan ProcessTime)
{
    public static CpuReading Take()
    {
        var process = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            var idle = ticks[3] + (ticks.Length > 4 ? ticks[4] : 0);
            var total = ticks.Take(8).Sum();
            return new CpuReading(total - idle, total, process);
        }
        catch (IOException)
        {
            return new CpuReading(0, 0, process);
        }
    }

    /// <summary>Machine busy share (0..1) since <paramref name="start"/>.</summary>
    public double MachineBusySince(CpuReading start) =>
        Total == start.Total ? double.NaN : (double)(Busy - start.Busy) / (Total - start.Total);

    /// <summary>CPU cores this process used on average since <paramref name="start"/> over <paramref name="elapsed"/>.</summary>
    public double ProcessCoresSince(CpuReading start, TimeSpan elapsed) => (ProcessTime - start.ProcessTime).TotalSeconds / elapsed.TotalSeconds;
}
