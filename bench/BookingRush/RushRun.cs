using System.Diagnostics;
using System.Globalization;

namespace ReturnOps.BookingRush;

/// <summary>What one system did in one scenario, and whether its books add up afterwards.</summary>
public sealed record RushResult(
    string System, string Layout, int Clerks, int Clients, int Sent, TimeSpan Elapsed, double P50, double P95, double P99,
    int Confirmed, int Waitlisted, int Refused, int Errors, string Check, double OthersCpu, double BenchCores, double Load)
{
    public double PerSecond => (Confirmed + Waitlisted) / Elapsed.TotalSeconds;
}

/// <summary>Runs one scenario: 20 countries × <c>clerks</c> clients, each taking its country's next booking until none is left.</summary>
internal static class RushRun
{
    public static async Task<RushResult> RunAsync(BookingSystem system, RushPlan plan, string layout, int clerks, int? postmaster)
    {
        var queues = plan.ByCountry.ToDictionary(c => c.Key, c => new Queue<PlannedBooking>(c.Value));
        var outcomes = new List<(PlannedBooking Booking, Outcome Outcome, double Ms)>[RushPlan.Countries.Length * clerks];
        var load = LoadAverage();
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
                var outcome = await system.BookAsync(next);
                mine.Add((next, outcome, Stopwatch.GetElapsedTime(sent).TotalMilliseconds));
            }
        })).ToArray();
        await Task.WhenAll(clients);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = CpuReading.Take(postmaster);
        var all = outcomes.SelectMany(o => o).ToList();
        var latencies = all.Select(o => o.Ms).Order().ToArray();
        var check = await CheckAsync(system, plan, all.Where(o => o.Outcome is Outcome.Confirmed or Outcome.Waitlisted).Select(o => o.Booking));
        return new RushResult(system.Name, layout, clerks, outcomes.Length, all.Count, elapsed,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99),
            all.Count(o => o.Outcome == Outcome.Confirmed), all.Count(o => o.Outcome == Outcome.Waitlisted),
            all.Count(o => o.Outcome == Outcome.Refused), all.Count(o => o.Outcome == Outcome.Error), check,
            after.OthersSince(cpu), after.ProcessCoresSince(cpu, elapsed), load);
    }

    /// <summary>No operation overbooked; every accepted booking stored as confirmed or waitlisted, and nothing else stored.</summary>
    private static async Task<string> CheckAsync(BookingSystem system, RushPlan plan, IEnumerable<PlannedBooking> accepted)
    {
        var acceptedPerOperation = new int[plan.Operations];
        foreach (var booking in accepted)
        {
            acceptedPerOperation[booking.Operation]++;
        }
        var tallies = await system.TallyAsync();
        var problems = new List<string>();
        for (var i = 0; i < plan.Operations; i++)
        {
            var t = tallies[i];
            if (t.ConfirmedSeats > t.Capacity)
            {
                problems.Add($"{t.Operation} OVERBOOKED: {t.ConfirmedSeats} > {t.Capacity}");
            }
            if (t.Confirmed + t.Waitlisted != acceptedPerOperation[i])
            {
                problems.Add($"{t.Operation}: {t.Confirmed} confirmed + {t.Waitlisted} waitlisted stored, {acceptedPerOperation[i]} accepted");
            }
        }
        return problems.Count == 0 ? "ok" : string.Join("; ", problems);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double LoadAverage()
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
}
