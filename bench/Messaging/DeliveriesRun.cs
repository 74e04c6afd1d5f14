using System.Diagnostics;
using ReturnOps.Silo.Messaging;
using ReturnOps.TestSupport;

namespace ReturnOps.MessagingBench;

/// <summary>
/// Deliveries per second: a fresh database and receivers, the dispatcher's background loop, a warm-up, then per sample
/// <c>lanes × perLane</c> messages committed by grain turns; timed from the first turn's start until every receiver has
/// applied every message, and until the outbox has no pending row; then the dispatcher alone, on the same number of
/// messages committed while it was stopped. Plain POSTs of the same envelopes to the same receivers in the same run
/// (32 concurrent and sequential) give the ratios.
/// </summary>
public static class DeliveriesRun
{
    public static async Task<(string Row, string Profile, IReadOnlyList<string> Problems)> RunAsync(PostgresServer server, string durability, int destinations,
        int lanes, int perLane, int perTurn, int samples)
    {
        await using var node = await BenchNode.StartAsync(server);
        await using var receivers = await Receivers.StartAsync(destinations, node.Subscriptions);
        await node.Dispatcher.StartAsync(CancellationToken.None);
        var problems = new List<string>();
        var load = Measure.Load();

        var warm = new Workload("warm", 20, 10);
        await DeliverAsync(node, receivers, warm, perTurn);

        var applied = new List<double>();
        var marked = new List<double>();
        var enqueued = new List<double>();
        var cpu = TimeSpan.Zero;
        var postgresCpu = TimeSpan.Zero;
        var postmaster = await node.PostmasterAsync();
        node.Store.Reset();
        var wall = TimeSpan.Zero;
        for (var sample = 1; sample <= samples; sample++)
        {
            var workload = new Workload($"s{sample}", lanes, perLane);
            var cpuBefore = Measure.ProcessCpu();
            var postgresBefore = Measure.PostgresCpu(postmaster);
            var (toApplied, toMarked, toEnqueued) = await DeliverAsync(node, receivers, workload, perTurn);
            cpu += Measure.ProcessCpu() - cpuBefore;
            postgresCpu += Measure.PostgresCpu(postmaster) - postgresBefore;
            wall += TimeSpan.FromSeconds(toMarked);
            applied.Add(workload.Count / toApplied);
            marked.Add(workload.Count / toMarked);
            enqueued.Add(toEnqueued);
            problems.AddRange(receivers.Check(workload, ordered: true).Select(p => $"sample {sample}: {p}"));
        }
        // The dispatcher alone: the same messages committed while it is stopped, then timed from its start, as the plain
        // POSTs below start with every envelope at hand.
        var committed = new List<double>();
        for (var sample = 1; sample <= samples; sample++)
        {
            var workload = new Workload($"c{sample}", lanes, perLane);
            await node.Dispatcher.StopAsync();
            await Enqueue.WriteAsync(node.Storage, receivers, workload, 0, workload.PerLane, perTurn, TimeProvider.System.GetUtcNow());
            var target = receivers.AppliedCount() + workload.Count;
            var watch = Stopwatch.StartNew();
            await node.Dispatcher.StartAsync(CancellationToken.None);
            await Measure.UntilAsync(() => receivers.AppliedCount() >= target, TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5), $"{workload.Prefix}: all applied");
            committed.Add(workload.Count / watch.Elapsed.TotalSeconds);
            await Measure.UntilAsync(async () => await node.CountAsync(DeliveryStatus.Pending) == 0, TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5),
                $"{workload.Prefix}: none pending");
            problems.AddRange(receivers.Check(workload, ordered: true).Select(p => $"committed backlog, sample {sample}: {p}"));
        }

        var profile = $"fsync {durability}, {destinations} destinations, {samples} × {lanes * perLane:N0} from enqueue and {samples} × {lanes * perLane:N0} committed first: {node.Store.Summary()}";
        var dead = await node.CountAsync(DeliveryStatus.Dead);
        if (dead > 0)
        {
            problems.Add($"{dead} messages dead");
        }
        var redelivered = receivers.ReceivedCount() - receivers.AppliedCount();

        var plain32 = new List<double>();
        var plainSequential = new List<double>();
        for (var sample = 1; sample <= samples; sample++)
        {
            var concurrent = new Workload($"p32-{sample}", lanes, perLane);
            plain32.Add(await PlainPosts.RunAsync(receivers, concurrent, 32));
            problems.AddRange(receivers.Check(concurrent, ordered: false).Select(p => $"plain 32, sample {sample}: {p}"));
            var sequential = new Workload($"p1-{sample}", lanes, perLane);
            plainSequential.Add(await PlainPosts.RunAsync(receivers, sequential, 1));
            problems.AddRange(receivers.Check(sequential, ordered: true).Select(p => $"plain sequential, sample {sample}: {p}"));
        }
        var outbox = Measure.Median(applied);
        var row = $"| {durability} | {destinations} | **{Measure.Rate(outbox)}** ({string.Join(", ", applied.Select(Measure.Rate))}) " +
            $"| {Measure.Rate(Measure.Median(marked))} | {Measure.Seconds(Measure.Median(enqueued))} " +
            $"| {Measure.Rate(Measure.Median(plain32))} | {Measure.Rate(Measure.Median(plainSequential))} " +
            $"| {outbox / Measure.Median(plain32):P0} | {Measure.Rate(Measure.Median(committed))} ({string.Join(", ", committed.Select(Measure.Rate))}) " +
            $"| {Measure.Median(committed) / Measure.Median(plain32):P0} | {redelivered} | {cpu.TotalSeconds / wall.TotalSeconds:0.00} | {postgresCpu.TotalSeconds / wall.TotalSeconds:0.00} | {load}–{Measure.Load()} |";
        return (row, profile, problems);
    }

    public const string Header =
        "| fsync | destinations | outbox → all applied, deliveries/s (samples) | → all marked delivered /s | enqueue took | plain POST, 32 concurrent /s | plain POST, sequential /s | outbox / plain 32 | committed backlog → all applied /s (samples) | backlog / plain 32 | receipts twice | bench process cores | PostgreSQL cores | load |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    /// <summary>Seconds from the first turn's start to all applied, to none pending, and to the last turn's commit.</summary>
    private static async Task<(double Applied, double Marked, double Enqueued)> DeliverAsync(BenchNode node, Receivers receivers, Workload workload, int perTurn)
    {
        var target = receivers.AppliedCount() + workload.Count;
        var watch = Stopwatch.StartNew();
        var enqueue = Enqueue.WriteAsync(node.Storage, receivers, workload, 0, workload.PerLane, perTurn, TimeProvider.System.GetUtcNow())
            .ContinueWith(t => { t.GetAwaiter().GetResult(); return watch.Elapsed.TotalSeconds; }, TaskScheduler.Default);
        await Measure.UntilAsync(() => receivers.AppliedCount() >= target, TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5), $"{workload.Prefix}: all applied");
        var applied = watch.Elapsed.TotalSeconds;
        await Measure.UntilAsync(async () => await node.CountAsync(DeliveryStatus.Pending) == 0, TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5),
            $"{workload.Prefix}: none pending");
        var marked = watch.Elapsed.TotalSeconds;
        return (applied, marked, await enqueue);
    }
}
