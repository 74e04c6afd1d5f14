namespace ReturnOps.BookingRush;

/// <summary>The markdown tables of docs/performance.md: every scenario, the ratios against the baseline of the same run, the read rates.</summary>
internal static class RushReport
{
    private const string Baseline = "row-locking baseline";

    public static void Write(Report report, IReadOnlyList<RushResult> results, IReadOnlyList<ReadRates> reads)
    {
        report.Line("Every scenario (bookings/s = bookings stored, confirmed or waitlisted, per second; latencies of the booking requests; " +
            "cancellations and their p99 in the steady scenario; check = the stored state read back afterwards; load = 1-minute load average at the scenario's end):");
        report.Line();
        report.Line("| durability | topology | scenario | layout | clients | system | bookings/s | p50 ms | p95 ms | p99 ms | confirmed | waitlisted | cancelled | cancel p99 ms | refused | errors | check | others' CPU | load |");
        report.Line("|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in results)
        {
            var s = r.Setting;
            report.Line($"| {s.Durability} | {s.Topology} | {s.Scenario} | {s.Layout} | {r.Clients} | {r.System} | {Measure.Rate(r.PerSecond)} | {Measure.Number(r.P50)} | " +
                $"{Measure.Number(r.P95)} | {Measure.Number(r.P99)} | {r.Confirmed} | {r.Waitlisted} | {r.Cancelled} | {(double.IsNaN(r.CancelP99) ? "" : Measure.Number(r.CancelP99))} | " +
                $"{r.Refused} | {r.Errors} | {r.Check} | {Measure.Percent(r.OthersCpu)} | {Measure.Number(r.Load)} |");
        }
        report.Line();
        report.Line("Against the baseline of the same run (aims on 2 cores, issue 13: one hot operation over HTTP at least 5× the baseline with p99 under 300 ms; " +
            "spread over 20 operations at least 2×):");
        report.Line();
        report.Line("| durability | topology | scenario | layout | baseline /s | ReturnOps HTTP /s | **HTTP / baseline** | p99 ms baseline | p99 ms HTTP | aim met |");
        report.Line("|---|---|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var setting in results.GroupBy(r => r.Setting))
        {
            var b = setting.FirstOrDefault(r => r.System == Baseline);
            var h = setting.FirstOrDefault(r => r.System == "ReturnOps HTTP");
            if (b is null || h is null)
            {
                continue;
            }
            var ratio = h.PerSecond / b.PerSecond;
            var aim = setting.Key.Layout == "hot" ? ratio >= 5 && h.P99 < 300 : ratio >= 2;
            var s = setting.Key;
            report.Line($"| {s.Durability} | {s.Topology} | {s.Scenario} | {s.Layout} | {Measure.Rate(b.PerSecond)} | {Measure.Rate(h.PerSecond)} | " +
                $"**{Measure.Number(ratio, 2)}×** | {Measure.Number(b.P99)} | {Measure.Number(h.P99)} | {(aim ? "yes" : "no")} |");
        }
        report.Line();
        foreach (var grain in results.Where(r => r.System == "ReturnOps grain"))
        {
            var b = results.First(r => r.Setting == grain.Setting && r.System == Baseline);
            report.Line($"Grain called directly, {grain.Setting.Durability}, {grain.Setting.Scenario} {grain.Setting.Layout}: {Measure.Rate(grain.PerSecond)}/s, " +
                $"{Measure.Number(grain.PerSecond / b.PerSecond, 2)}× the baseline, p99 {Measure.Number(grain.P99)} ms.");
            report.Line();
        }
        if (reads.Count == 0)
        {
            return;
        }
        report.Line("Audited against unaudited reads (issue 13 §1, aim: the audited at least half the unaudited rate): `GET /operations/{id}` (not audited) and " +
            "`GET /operations/{id}/bookings` (audited, one hash-chained entry per call), one announced operation without bookings, as its organiser:");
        report.Line();
        report.Line("| durability | topology | clients | unaudited GET/s | audited GET/s | **audited / unaudited** | failed | load |");
        report.Line("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in reads)
        {
            report.Line($"| {r.Durability} | {r.Topology} | {r.Clients} | {Measure.Rate(r.Unaudited)} | {Measure.Rate(r.Audited)} | **{Measure.Percent(r.Ratio)}** | {r.Failures} | {Measure.Number(r.Load)} |");
        }
        report.Line();
    }
}
