using System.Diagnostics;
using ReturnOps.PartnerSimulator;
using ReturnOps.TestSupport;

namespace ReturnOps.Cluster.Tests;

/// <summary>
/// The failure drill (docs/reliability.md): real processes of the cluster, SIGKILLed in the middle of the work.
/// The silo hosting the booked operation, killed during a booking rush, loses no acknowledged booking, makes none twice,
/// and every booking is answered again (within <see cref="LivenessBound"/>: a hang, not a speed); a silo killed while delivering leaves the
/// survivor to drain the outbox, every message applied once at its partner. A gateway killed during the rush loses nothing
/// either: its clients retry on the other gateway with the same Idempotency-Key, which takes each key over when its lease ends.
/// </summary>
public sealed class ReplicaKillDrillTests(SharedPostgres postgres, ITestOutputHelper output)
{
    private const int BookingsPerClerk = 3;

    /// <summary>
    /// From the kill until every booking in flight is answered. The drill's membership settings (DrillCluster) target 10 s; that
    /// figure is measured and written down in docs/reliability.md, not asserted (a busy CI machine is not a failure). This bound
    /// only catches a cluster that never recovers, e.g. clients waiting for Orleans' default 30 s response timeout twice.
    /// </summary>
    private static readonly TimeSpan LivenessBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a key claimed by a gateway that died stays "in progress" before another gateway may take it over
    /// (<c>IdempotencyMiddleware</c>, fixed at 60 s): a killed gateway's bookings cannot be answered sooner.
    /// </summary>
    private static readonly TimeSpan IdempotencyLease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_silo_hosting_the_operation_killed_during_a_booking_rush_loses_no_acknowledged_booking()
    {
        await using var cluster = await DrillCluster.StartAsync(await postgres.GetAsync());
        await using var partner = await Partner.StartAsync(BookingRush.PartnerSecret);
        await Drill(cluster, async () =>
        {
            var (rush, running) = await RushUntilAThirdIsAnsweredAsync(cluster, partner);
            // The worst case: the silo with the operation's activation, which every booking needs.
            var host = await cluster.HostOfAsync("return-operation", rush.OperationId, TimeSpan.FromSeconds(30));
            var answeredAtKill = rush.Answered;
            await host.KillAsync();
            var killedAt = TimeProvider.System.GetTimestamp();
            var declaredDead = cluster.DeclaredDeadAsync(host, killedAt);
            Assert.True(answeredAtKill < rush.Bookings.Count, "the silo is killed before the rush is over");

            var figures = await running;
            var recovery = rush.RecoveryAfter(killedAt);
            output.WriteLine($"rush: {figures}; {host.Name} (host of the operation) SIGKILLed after {answeredAtKill} of {rush.Bookings.Count} bookings " +
                $"were answered, declared dead {(await declaredDead).TotalSeconds:F1} s later");
            output.WriteLine($"recovery: {recovery}");
            output.WriteLine($"answers: {Summary(rush)}");
            PrintRetried(rush.Bookings.Where(b => b.Retried));
            Assert.Empty(await DrillChecks.BookingsAsync(cluster, rush));
            Assert.True(recovery.InFlightAnswered <= LivenessBound,
                $"the bookings in flight at the kill were answered {recovery.InFlightAnswered.TotalSeconds:F1} s after it, more than {LivenessBound.TotalSeconds} s");

            await DrainAndCheckDeliveriesAsync(cluster, partner, "the surviving silo to deliver the outbox");
        });
    }

    [Fact]
    public async Task A_gateway_killed_during_a_booking_rush_loses_no_acknowledged_booking()
    {
        await using var cluster = await DrillCluster.StartAsync(await postgres.GetAsync());
        await using var partner = await Partner.StartAsync(BookingRush.PartnerSecret);
        await Drill(cluster, async () =>
        {
            var (rush, running) = await RushUntilAThirdIsAnsweredAsync(cluster, partner);
            // An Orleans client with requests in flight: the keys it claimed stay "in progress" until their lease ends,
            // and the clients' retries on gateway-2 wait for it (a 409 without a rule, retried).
            var gateway = cluster.Gateways[0];
            var answeredAtKill = rush.Answered;
            await gateway.KillAsync();
            var killedAt = TimeProvider.System.GetTimestamp();
            var heldAtKill = await cluster.ScalarAsync("SELECT count(*) FROM gateway_idempotency WHERE state = 'pending'");
            Assert.True(answeredAtKill < rush.Bookings.Count, "the gateway is killed before the rush is over");

            var figures = await running;
            var recovery = rush.RecoveryAfter(killedAt);
            output.WriteLine($"rush: {figures}; {gateway.Name} SIGKILLed after {answeredAtKill} of {rush.Bookings.Count} bookings were answered, " +
                $"{heldAtKill} keys in progress on both gateways at the kill (idempotency lease {IdempotencyLease.TotalSeconds} s)");
            output.WriteLine($"recovery: {recovery}");
            // Keys the dead gateway held wait for their lease (their retries were answered 409 "in progress"); the others do not.
            var inFlight = rush.Bookings.Where(b => b.SentAt < killedAt && b.AnsweredAt > killedAt).ToList();
            var held = inFlight.Where(b => b.Failures.Any(f => f.StartsWith("409", StringComparison.Ordinal))).ToList();
            string Answered(List<BookingAttempt> bookings) => bookings.Count == 0 ? "-"
                : $"{TimeProvider.System.GetElapsedTime(killedAt, bookings.Max(b => b.AnsweredAt)).TotalSeconds:F1} s";
            output.WriteLine($"in flight at the kill: {held.Count} on keys the dead gateway held, answered {Answered(held)} after the kill; " +
                $"{inFlight.Count - held.Count} others, answered {Answered([.. inFlight.Except(held)])} after it");
            output.WriteLine($"answers: {Summary(rush)}");
            PrintRetried(rush.Bookings.Where(b => b.Retried).OrderByDescending(b => b.Attempts));
            Assert.Empty(await DrillChecks.BookingsAsync(cluster, rush));
            Assert.True(recovery.InFlightAnswered <= IdempotencyLease + LivenessBound,
                $"the bookings in flight at the kill were answered {recovery.InFlightAnswered.TotalSeconds:F1} s after it, " +
                $"more than the idempotency lease ({IdempotencyLease.TotalSeconds} s) + {LivenessBound.TotalSeconds} s");

            await DrainAndCheckDeliveriesAsync(cluster, partner, "the silos to deliver the outbox");
        });
    }

    [Fact]
    public async Task A_silo_killed_mid_delivery_leaves_the_survivor_to_apply_every_message_once()
    {
        await using var cluster = await DrillCluster.StartAsync(await postgres.GetAsync());
        await using var partner = await Partner.StartAsync(BookingRush.PartnerSecret);
        await Drill(cluster, async () =>
        {
            // A partner that takes 50 ms per delivery keeps the dispatchers busy for a while after the rush.
            partner.Slowness = TimeSpan.FromMilliseconds(50);
            partner.Behaviour = PartnerBehaviour.Slow;
            var rush = new BookingRush(cluster);
            await rush.SetUpAsync(partner.Url, BookingsPerClerk);
            var running = rush.RunAsync();
            await Eventually.True(() => partner.Applied.Count >= 120, "the silos to deliver 120 messages", TimeSpan.FromMinutes(2));
            // The silo holding the most claims on undelivered messages: the one that is delivering.
            var delivering = await cluster.ScalarTextAsync(
                "SELECT claimed_by FROM outbox WHERE status = 'pending' AND claimed_by IS NOT NULL GROUP BY claimed_by ORDER BY count(*) DESC LIMIT 1");
            var silo = cluster.Silos.Single(s => s.Name == (delivering ?? "silo-1"));
            var answeredAtKill = rush.Answered;
            await silo.KillAsync();
            var killedAt = TimeProvider.System.GetTimestamp();
            var declaredDead = cluster.DeclaredDeadAsync(silo, killedAt);
            var killed = Stopwatch.StartNew();
            var appliedAtKill = partner.Applied.Count;
            var pendingAtKill = await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'");
            var claimedAtKill = await cluster.ScalarAsync($"SELECT count(*) FROM outbox WHERE status = 'pending' AND claimed_by = '{silo.Name}'");
            Assert.True(pendingAtKill > 0, "the silo is killed with messages still to deliver");

            var figures = await running;
            var recovery = rush.RecoveryAfter(killedAt);
            output.WriteLine($"rush: {figures}");
            output.WriteLine($"{silo.Name} SIGKILLed with {answeredAtKill} of {rush.Bookings.Count} bookings answered, {appliedAtKill} messages applied, " +
                $"{pendingAtKill} pending ({claimedAtKill} claimed by it), declared dead {(await declaredDead).TotalSeconds:F1} s later");
            output.WriteLine($"recovery: {recovery}");
            Assert.Empty(await DrillChecks.BookingsAsync(cluster, rush));
            await Eventually.True(async () => await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0,
                "the surviving silo to drain the outbox", TimeSpan.FromMinutes(3));
            output.WriteLine($"outbox: drained {killed.Elapsed.TotalSeconds:F1} s after the kill (claim lease {DrillCluster.ClaimLease.TotalSeconds} s); " +
                $"{await cluster.ScalarAsync("SELECT count(*) FROM outbox")} messages; partner received {partner.Received.Count}, " +
                $"applied {partner.Applied.Count} ({partner.Received.Count - partner.Applied.Count} duplicate deliveries)");
            Assert.Empty(await DrillChecks.DeliveriesAsync(cluster, partner));
            Assert.True(recovery.InFlightAnswered <= LivenessBound,
                $"the bookings in flight at the kill were answered {recovery.InFlightAnswered.TotalSeconds:F1} s after it, more than {LivenessBound.TotalSeconds} s");
        });
    }

    /// <summary>Starts the rush and returns once a third of its bookings are answered (or it is over): the moment to kill.</summary>
    private static async Task<(BookingRush Rush, Task<RushFigures> Running)> RushUntilAThirdIsAnsweredAsync(DrillCluster cluster, Partner partner)
    {
        var rush = new BookingRush(cluster);
        await rush.SetUpAsync(partner.Url, BookingsPerClerk);
        var running = rush.RunAsync();
        await Eventually.True(() => rush.Answered >= rush.Bookings.Count / 3 || running.IsCompleted,
            "a third of the rush to be answered", TimeSpan.FromMinutes(2));
        return (rush, running);
    }

    /// <summary>Waits for the outbox to drain after the rush, prints it, and checks every partner message was applied once.</summary>
    private async Task DrainAndCheckDeliveriesAsync(DrillCluster cluster, Partner partner, string awaited)
    {
        var drain = Stopwatch.StartNew();
        await Eventually.True(async () => await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0,
            awaited, TimeSpan.FromMinutes(2));
        output.WriteLine($"outbox: {await cluster.ScalarAsync("SELECT count(*) FROM outbox")} messages, drained {drain.Elapsed.TotalSeconds:F1} s after the rush; " +
            $"partner received {partner.Received.Count}, applied {partner.Applied.Count}");
        Assert.Empty(await DrillChecks.DeliveriesAsync(cluster, partner));
    }

    /// <summary>The first five retried bookings with their attempts and failures.</summary>
    private void PrintRetried(IEnumerable<BookingAttempt> retried)
    {
        foreach (var booking in retried.Take(5))
        {
            output.WriteLine($"  retried {booking.Key}: {booking.Attempts} attempts, {string.Join("; ", booking.Failures)} -> {(int?)booking.Status} " +
                $"{booking.BookingStatus}{(booking.Replayed ? " (replayed)" : "")}");
        }
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
