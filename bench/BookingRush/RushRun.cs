using System.Diagnostics;
using System.Globalization;

namespace ReturnOps.BookingRush;

/// <summary>Where a scenario ran: durable commits or not, the topology, the scenario (burst or steady) and the layout (hot or spread).</summary>
public sealed record Setting(string Durability, string Topology, string Scenario, string Layout);

/// <summary>What one system did in one scenario, and whether its books add up afterwards.</summary>
public sealed record RushResult(
    Setting Setting, string System, int Clients, TimeSpan Elapsed, double P50, double P95, double P99,
    int Confirmed, int Waitlisted, int Refused, int Errors, int Cancelled, double CancelP99, string Check, double OthersCpu, double Load)
{
    /// <summary>Bookings stored (confirmed or waitlisted) per second.</summary>
    public double PerSecond => (Confirmed + Waitlisted) / Elapsed.TotalSeconds;
}

/// <summary>Runs the burst: 20 countries × <c>clerks</c> clients, each taking its country's next booking until none is left.</summary>
internal static class RushRun
{
    public static async Task<RushResult> RunAsync(BookingSystem system, RushPlan plan, Setting setting, int clerks, int? postmaster)
    {
        var queues = plan.ByCountry.ToDictionary(c => c.Key, c => new Queue<PlannedBooking>(c.Value));
        var outcomes = new List<(PlannedBooking Booking, Answer Answer, double Ms)>[RushPlan.Countries.Length * clerks];
        var cpu = CpuReading.Take(postmaster);
        var started = Stopwatch.GetTimestamp();
        var clients = Enumerable.Range(0, outcomes.Length).Select(i => Task.Run(async () =>
        {
            var queue = queues[RushPlan.Countries[i / clerks]];
            var mine = outcomes[i] = [];
            while (true)
            {
                PlannedBooking? next;
                lock (queue)
                {
                    queue.TryDequeue(out next);
                }
                if (next is null)
                {
                    return;
                }
                var sent = Stopwatch.GetTimestamp();
                var answer = await system.BookAsync(next);
                mine.Add((next, answer, Stopwatch.GetElapsedTime(sent).TotalMilliseconds));
            }
        })).ToArray();
        await Task.WhenAll(clients);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = CpuReading.Take(postmaster);
        var load = Load.Now();
        var all = outcomes.SelectMany(o => o).ToList();
        var latencies = all.Select(o => o.Ms).Order().ToArray();
        var acknowledged = all.Where(o => o.Answer.BookingId is not null)
            .Select(o => new Acknowledged(o.Booking.Operation, o.Answer.BookingId!, Cancellation.None)).ToList();
        var errors = all.Count(o => o.Answer.Outcome == Outcome.Error);
        var check = await BookCheck.RunAsync(system, plan.Operations, acknowledged, errors);
        return new RushResult(setting, system.Name, outcomes.Length, elapsed,
            Load.Percentile(latencies, 0.50), Load.Percentile(latencies, 0.95), Load.Percentile(latencies, 0.99),
            all.Count(o => o.Answer.Outcome == Outcome.Confirmed), all.Count(o => o.Answer.Outcome == Outcome.Waitlisted),
            all.Count(o => o.Answer.Outcome == Outcome.Refused), errors, 0, double.NaN, check, after.OthersSince(cpu), load);
    }
}

/// <summary>The machine's load and the latency percentiles, as every scenario reports them.</summary>
internal static class Load
{
    /// <summary>The 1-minute load average (/proc/loadavg): read at the end of a scenario, it covers the scenario's last minute.</summary>
    public static double Now()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
