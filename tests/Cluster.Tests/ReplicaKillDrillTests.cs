using System.Diagnostics;
using ReturnOps.PartnerSimulator;
using ReturnOps.TestSupport;

namespace ReturnOps.Cluster.Tests;

/// <summary>
/// The failure drill (docs/reliability.md): real processes of the cluster, SIGKILLed in the middle of the work.
/// A gateway killed during a booking rush loses no acknowledged booking and makes none twice; a worker killed
/// while delivering is replaced and the outbox drains, every message applied once at its partner.
/// </summary>
public sealed class ReplicaKillDrillTests(SharedPostgres postgres, ITestOutputHelper output)
{
    private const int BookingsPerClerk = 3;

    [Fact]
    public async Task A_gateway_killed_during_a_booking_rush_loses_no_acknowledged_booking()
    {
        await using var cluster = await DrillCluster.StartAsync(await postgres.GetAsync());
        await using var partner = await Partner.StartAsync(BookingRush.PartnerSecret);
        await Drill(cluster, async () =>
        {
            var rush = new BookingRush(cluster);
            await rush.SetUpAsync(partner.Url, BookingsPerClerk);
            var running = rush.RunAsync();
            await Eventually.True(() => rush.Answered >= rush.Bookings.Count / 3 || running.IsCompleted,
                "a third of the rush to be answered", TimeSpan.FromMinutes(2));
            var answeredAtKill = rush.Answered;
            await cluster.Gateways[1].KillAsync();
            var killedAt = Stopwatch.StartNew();
            rush.MarkDead(1);
            Assert.True(answeredAtKill < rush.Bookings.Count, "the gateway is killed before the rush is over");

            var figures = await running;
            output.WriteLine($"rush: {figures}; gateway-2 SIGKILLed after {answeredAtKill} of {rush.Bookings.Count} bookings were answered; " +
                $"last booking answered {killedAt.Elapsed.TotalSeconds:F1} s after the kill");
            output.WriteLine($"answers: {Summary(rush)}");
            foreach (var retried in rush.Bookings.Where(b => b.Retried).Take(5))
            {
                output.WriteLine($"  retried {retried.Key}: {retried.Attempts} attempts, {string.Join("; ", retried.Failures)} -> {(int?)retried.Status} {retried.BookingStatus}{(retried.Replayed ? " (replayed)" : "")}");
            }
            Assert.Empty(await DrillChecks.BookingsAsync(cluster, rush));

            var drain = Stopwatch.StartNew();
            await Eventually.True(async () => await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0,
                "the worker to deliver the outbox", TimeSpan.FromMinutes(2));
            output.WriteLine($"outbox: {await cluster.ScalarAsync("SELECT count(*) FROM outbox")} messages, drained {drain.Elapsed.TotalSeconds:F1} s after the rush; " +
                $"partner received {partner.Received.Count}, applied {partner.Applied.Count}");
            Assert.Empty(await DrillChecks.DeliveriesAsync(cluster, partner));
        });
    }

    [Fact]
    public async Task A_worker_killed_mid_delivery_is_replaced_and_every_message_is_applied_once()
    {
        await using var cluster = await DrillCluster.StartAsync(await postgres.GetAsync());
        await using var partner = await Partner.StartAsync(BookingRush.PartnerSecret);
        await Drill(cluster, async () =>
        {
            // A partner that takes 50 ms per delivery keeps the worker busy for a while after the rush.
            partner.Slowness = TimeSpan.FromMilliseconds(50);
            partner.Behaviour = PartnerBehaviour.Slow;
            var rush = new BookingRush(cluster);
            await rush.SetUpAsync(partner.Url, BookingsPerClerk);
            var running = rush.RunAsync();
            await Eventually.True(() => partner.Applied.Count >= 120, "the worker to deliver 120 messages", TimeSpan.FromMinutes(2));
            var worker = cluster.Replicas.Single(r => r.Name == "worker-1");
            await worker.KillAsync();
            var killedAt = Stopwatch.StartNew();
            var appliedAtKill = partner.Applied.Count;
            var pendingAtKill = await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'");
            var claimedAtKill = await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending' AND claimed_by IS NOT NULL");
            Assert.True(pendingAtKill > 0, "the worker is killed with messages still to deliver");

            await cluster.StartWorkerAsync();
            var replacedAfter = killedAt.Elapsed;
            var figures = await running;
            Assert.Empty(await DrillChecks.BookingsAsync(cluster, rush));
            await Eventually.True(async () => await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0,
                "worker-2 to drain the outbox", TimeSpan.FromMinutes(3));
            var drained = killedAt.Elapsed;
            output.WriteLine($"rush: {figures}");
            output.WriteLine($"worker-1 SIGKILLed with {appliedAtKill} messages applied, {pendingAtKill} pending ({claimedAtKill} claimed by it); " +
                $"worker-2 ready {replacedAfter.TotalSeconds:F1} s later; outbox drained {drained.TotalSeconds:F1} s after the kill " +
                $"(claim lease {DrillCluster.ClaimLease.TotalSeconds} s)");
            output.WriteLine($"outbox: {await cluster.ScalarAsync("SELECT count(*) FROM outbox")} messages; partner received {partner.Received.Count}, " +
                $"applied {partner.Applied.Count} ({partner.Received.Count - partner.Applied.Count} duplicate deliveries)");
            Assert.Empty(await DrillChecks.DeliveriesAsync(cluster, partner));
        });
    }

    private static string Summary(BookingRush rush) => string.Join(", ", rush.Bookings
        .GroupBy(b => $"{(int?)b.Status} {b.BookingStatus}{(b.Retried ? " after retry" : "")}{(b.Replayed ? " (replayed)" : "")}")
        .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} × {g.Key}"));

    /// <summary>Runs the drill; on failure the replicas' last lines go to the test output.</summary>
    private async Task Drill(DrillCluster cluster, Func<Task> drill)
    {
        try
        {
            await drill();
        }
        catch
        {
            output.WriteLine("outbox:\n" + await cluster.OutboxSummaryAsync());
            output.WriteLine(cluster.Tails());
            throw;
        }
    }
}
