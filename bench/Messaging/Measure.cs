using System.Diagnostics;
using System.Globalization;

namespace ReturnOps.MessagingBench;

/// <summary>Waiting for a condition by polling, and what the machine was doing meanwhile.</summary>
public static class Measure
{
    /// <summary>Polls <paramref name="done"/> every <paramref name="poll"/> until true; throws after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, TimeSpan poll, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(poll);
        }
    }

    public static Task UntilAsync(Func<bool> done, TimeSpan poll, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(done()), poll, timeout, what);

    /// <summary>The 1-minute load average, as <c>uptime</c> shows it.</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>CPU time used by this process so far (dispatcher, receivers and plain clients alike).</summary>
    public static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
