using System.Diagnostics;
using ReturnOps.Silo.Messaging;
using ReturnOps.TestSupport;

namespace ReturnOps.MessagingBench;

/// <summary>
/// Draining a backlog after an outage: one receiver (AT) is stopped (connections refused) for <c>outage</c>; meanwhile
/// <c>lanes × perLane</c> messages are committed in 20 rounds spread over the outage while the dispatcher runs and fails
/// against the closed port. Then the receiver listens again on its port; timed from that moment until every message is
/// applied, with the times at which given shares of the backlog were applied (percentiles of the per-message times).
/// Options are the <c>AddMessaging</c> defaults.
/// </summary>
public static class DrainRun
{
    private const int Rounds = 20;
    private static readonly double[] s_shares = [0.25, 0.5, 0.75, 0.9, 0.99];

    public const string Header =
        "| fsync | backlog | outage | failed attempts in outage (max on one) | latest retry due after restart | restart → first applied | p25 | p50 | p75 | p90 | p99 | **all applied** | none pending | receipts twice | load |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    public static async Task<(string Row, string Profile, IReadOnlyList<string> Problems)> RunAsync(PostgresServer server, string durability, TimeSpan outage, int lanes, int perLane)
    {
        if (perLane % Rounds != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(perLane), perLane, $"a multiple of {Rounds}");
        }
        await using var node = await BenchNode.StartAsync(server);
        await using var receivers = await Receivers.StartAsync(1, node.Subscriptions);
        var partner = receivers.Partners[0].Partner;
        await node.Dispatcher.StartAsync(CancellationToken.None);
        var load = Measure.Load();
        var problems = new List<string>();

        var warm = new Workload("warm", 20, 10);
        await Enqueue.WriteAsync(node.Storage, receivers, warm, 0, warm.PerLane, 10, TimeProvider.System.GetUtcNow());
        await Measure.UntilAsync(() => receivers.AppliedCount() >= warm.Count, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(2), "warm-up applied");

        var backlog = new Workload("backlog", lanes, perLane);
        var before = receivers.AppliedCount();
        await partner.StopAsync();
        var outageWatch = Stopwatch.StartNew();
        var step = perLane / Rounds;
        for (var round = 0; round < Rounds; round++)
        {
            await Enqueue.WriteAsync(node.Storage, receivers, backlog, round * step, (round + 1) * step, step, TimeProvider.System.GetUtcNow());
            var due = outage * (round + 1) / Rounds;
            if (due > outageWatch.Elapsed)
            {
                await Task.Delay(due - outageWatch.Elapsed);
            }
        }
        var (attempts, maxAttempts, latestDue) = await OutageStatsAsync(node);
        await partner.StartAgainAsync();
        node.Store.Reset();
        var watch = Stopwatch.StartNew();
        var latestRetry = TimeSpan.FromMilliseconds(Math.Max(0, latestDue - TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()));

        double? first = null;
        var reached = new double?[s_shares.Length];
        await Measure.UntilAsync(() =>
        {
            var done = receivers.AppliedCount() - before;
            var now = watch.Elapsed.TotalSeconds;
            if (done > 0)
            {
                first ??= now;
            }
            for (var i = 0; i < s_shares.Length; i++)
            {
                if (done >= backlog.Count * s_shares[i])
                {
                    reached[i] ??= now;
                }
            }
            return done >= backlog.Count;
        }, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), "backlog applied");
        var all = watch.Elapsed.TotalSeconds;
        await Measure.UntilAsync(async () => await node.CountAsync(DeliveryStatus.Pending) == 0, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), "none pending");
        var none = watch.Elapsed.TotalSeconds;

        var profile = $"drain, fsync {durability}, restart to none pending: {node.Store.Summary()}";
        problems.AddRange(receivers.Check(backlog, ordered: true));
        var dead = await node.CountAsync(DeliveryStatus.Dead);
        if (dead > 0)
        {
            problems.Add($"{dead} messages dead");
        }
        var row = $"| {durability} | {backlog.Count:N0} | {outage.TotalSeconds:0} s | {attempts} ({maxAttempts}) | {Measure.Seconds(latestRetry.TotalSeconds)} " +
            $"| {Measure.Seconds(first ?? all)} | {string.Join(" | ", reached.Select(r => Measure.Seconds(r ?? all)))} | **{Measure.Seconds(all)}** " +
            $"| {Measure.Seconds(none)} | {receivers.ReceivedCount() - receivers.AppliedCount()} | {load}–{Measure.Load()} |";
        return (row, profile, problems);
    }

    /// <summary>Failed attempts recorded on pending messages, the most on one, and the latest time one of them is due.</summary>
    private static async Task<(long Attempts, long Max, long LatestDueMs)> OutageStatsAsync(BenchNode node)
    {
        await using var command = node.Storage.DataSource.CreateCommand(
            "SELECT coalesce(sum(attempts), 0), coalesce(max(attempts), 0), coalesce(max(next_attempt_ms), 0) FROM outbox WHERE status = 'pending'");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
