
namespace ReturnOps.BookingRush;

/// <summary>The markdown tables of docs/performance.md: every scenario of every run, then the ratios against the baseline.</summary>
internal static class RushReport
{
    public static void Write(Report report, IReadOnlyList<(int Run, RushResult Result)> results)
    {
        foreach (var run in results.Select(r => r.Run).Distinct())
        {
            report.Line($"Run {run}:");
            report.Line();
            report.Line("| layout | clients | system | bookings/s | p50 ms | p95 ms | p99 ms | confirmed | waitlisted | refused | errors | check | others' CPU | bench process cores | load |");
            report.Line("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
            foreach (var r in results.Where(r => r.Run == run).Select(r => r.Result))
            {
                report.Line($"| {r.Layout} | {r.Clients} | {r.System} | {Measure.Rate(r.PerSecond)} | {Measure.Number(r.P50)} | {Measure.Number(r.P95)} | " +
                    $"{Measure.Number(r.P99)} | {r.Confirmed} | {r.Waitlisted} | {r.Refused} | {r.Errors} | {r.Check} | {Measure.Percent(r.OthersCpu)} | " +
                    $"{Measure.Number(r.BenchCores, 2)} | {Measure.Number(r.Load)} |");
            }
            report.Line();
        }
        report.Line("Ratios against the baseline of the same run (bookings/s; p99 latency), runs separated by \" / \":");
        report.Line();
        report.Line("| layout | clients | baseline /s | ReturnOps HTTP /s | **HTTP / baseline** | ReturnOps grain /s | **grain / baseline** | p99 ms baseline | p99 ms HTTP | p99 ms grain |");
        report.Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var scenario in results.GroupBy(r => (r.Result.Layout, r.Result.Clients)))
        {
            var runs = scenario.GroupBy(r => r.Run).Select(g => g.ToDictionary(r => r.Result.System, r => r.Result)).ToList();
            string Each(Func<Dictionary<string, RushResult>, string> cell) => string.Join(" / ", runs.Select(cell));
            var (b, h, g) = ("row-locking baseline", "ReturnOps HTTP", "ReturnOps grain");
            report.Line($"| {scenario.Key.Layout} | {scenario.Key.Clients} | {Each(r => Measure.Rate(r[b].PerSecond))} | {Each(r => Measure.Rate(r[h].PerSecond))} | " +
                $"**{Each(r => Measure.Percent(r[h].PerSecond / r[b].PerSecond))}** | {Each(r => Measure.Rate(r[g].PerSecond))} | " +
                $"**{Each(r => Measure.Percent(r[g].PerSecond / r[b].PerSecond))}** | {Each(r => Measure.Number(r[b].P99))} | " +
                $"{Each(r => Measure.Number(r[h].P99))} | {Each(r => Measure.Number(r[g].P99))} |");
        }
        report.Line();
    }
}
