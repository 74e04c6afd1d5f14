using System.Diagnostics;
using System.Globalization;

namespace ReturnOps.BookingRush;

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

    /// <summary>
    /// The machine is shared: waits (up to 1.5 s) for a 300 ms window in which other processes used less
    /// than 15 % of the CPU, so that samples start on a quiet machine. Whatever others use during the
    /// sample is still measured and reported.
    /// </summary>
    public static async Task WaitForQuietAsync(int? postmaster = null)
    {
        var giveUp = Deadline(TimeSpan.FromSeconds(1.5));
        while (Stopwatch.GetTimestamp() < giveUp)
        {
            var start = CpuReading.Take(postmaster);
            await Task.Delay(300);
            if (!(CpuReading.Take(postmaster).OthersSince(start) >= 0.15))
            {
                return;
            }
        }
    }

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Percent(double ratio) => (ratio * 100).ToString("N0", CultureInfo.InvariantCulture) + " %";
}

/// <summary>
/// CPU use from /proc (Linux; zeros elsewhere), in clock ticks: the whole machine, and "ours" = this
/// process with its reaped children (pgbench) plus an optional PostgreSQL postmaster with its backends.
/// The difference is what other processes on the machine used meanwhile.
/// </summary>
internal readonly record struct CpuReading(long Busy, long Total, long Ours, TimeSpan ProcessTime)
{
    public static CpuReading Take(int? postmaster = null)
    {
        var process = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            var idle = ticks[3] + ticks[4];
            var total = ticks.Take(8).Sum();
            var ours = ProcessTicks("self", children: true);
            if (postmaster is { } pid)
            {
                ours += ProcessTicks(pid.ToString(CultureInfo.InvariantCulture), children: true);
                foreach (var child in ChildrenOf(pid))
                {
                    ours += ProcessTicks(child, children: false);
                }
            }
            return new CpuReading(total - idle, total, ours, process);
        }
        catch (IOException)
        {
            return new CpuReading(0, 0, 0, process);
        }
    }

    /// <summary>Machine busy share (0..1 of all CPUs) since <paramref name="start"/>.</summary>
    public double MachineBusySince(CpuReading start) =>
        Total == start.Total ? double.NaN : (double)(Busy - start.Busy) / (Total - start.Total);

    /// <summary>Share (0..1 of all CPUs) used by processes other than ours since <paramref name="start"/>.</summary>
    public double OthersSince(CpuReading start) =>
        Total == start.Total ? double.NaN : Math.Max(0, (double)(Busy - start.Busy - (Ours - start.Ours)) / (Total - start.Total));

    /// <summary>CPU cores this process used on average since <paramref name="start"/> over <paramref name="elapsed"/>.</summary>
    public double ProcessCoresSince(CpuReading start, TimeSpan elapsed) => (ProcessTime - start.ProcessTime).TotalSeconds / elapsed.TotalSeconds;

    /// <summary>The postmaster listening on <paramref name="port"/>, found by its command line.</summary>
    public static int? FindPostmaster(int port)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var portIndex = Array.IndexOf(args, "-p");
                if (args[0].EndsWith("/postgres", StringComparison.Ordinal) && portIndex > 0 && portIndex + 1 < args.Length
                    && args[portIndex + 1] == port.ToString(CultureInfo.InvariantCulture))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }
        return null;
    }

    private static IEnumerable<string> ChildrenOf(int parent)
    {
        var result = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }
            try
            {
                if (StatFields(name)[1] == parent.ToString(CultureInfo.InvariantCulture))
                {
                    result.Add(name);
                }
            }
            catch (IOException)
            {
            }
        }
        return result;
    }

    private static long ProcessTicks(string pid, bool children)
    {
        try
        {
            var fields = StatFields(pid);
            // After "(comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17), here indexes 11..14.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return children ? ticks + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture) : ticks;
        }
        catch (IOException)
        {
            return 0; // exited meanwhile
        }
    }

    /// <summary>The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ...</summary>
    private static string[] StatFields(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
