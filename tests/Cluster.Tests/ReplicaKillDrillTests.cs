using System.Diagnostics;
using ReturnOps.PartnerSimulator;
using ReturnOps.TestSupport;

namespace ReturnOps.Cluster.Tests;

/// <summary>
/// The failure drill (docs/reliability.md): real processes of the cluster, SIGKILLed in the middle of the work.
/// The silo hosting the booked operation, killed during a booking rush, loses no acknowledged booking, makes none twice,
/// and every booking in flight at the kill is answered again within <see cref="SiloKillAnsweredWithin"/>; a silo killed while
/// delivering leaves the survivor to drain the outbox, every message applied once at its partner. A gateway killed during the
/// rush loses nothing either: its clients retry on the other gateway with the same Idempotency-Key, which the operation
/// answers as the first time, within <see cref="GatewayKillAnsweredWithin"/>.
/// </summary>
public sealed class ReplicaKillDrillTests(SharedPostgres postgres, ITestOutputHelper output)
{
    private const int BookingsPerClerk = 3;

    /// <summary>
    /// From a gateway's kill until every booking in flight at it is answered again: issue 22's aim. Measured at 0.8-2.1 s on
    /// a loaded 2-core machine (docs/reliability.md): a retry on the other gateway, which the operation answers at once.
    /// </summary>
    private static readonly TimeSpan GatewayKillAnsweredWithin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// From a silo's kill until every booking in flight at it is answered again. Issue 22 aims at 5 s, and the drill met it in
    /// every recorded run (0.5-4.4 s, docs/reliability.md), but at a load average of 18-31 the slowest came within 0.6 s of it:
    /// the survivor declares the dead silo dead and activates the operation from storage on a starved machine. Twice the aim
    /// fails a cluster that waits for a response timeout (5 s) before retrying, without failing a busy CI machine.
    /// </summary>
    private static readonly TimeSpan SiloKillAnsweredWithin = TimeSpan.FromSeconds(10);

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
            // The moment of SIGKILL, not of the exit it waits for: from then on the silo answers nothing.
            var killedAt = TimeProvider.System.GetTimestamp();
            await host.KillAsync();
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
            Assert.True(recovery.InFlight > 0, "bookings were in flight at the kill");
            AssertAnsweredAgainWithin(recovery, SiloKillAnsweredWithin);

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
            var rush = new BookingRush(cluster);
            await rush.SetUpAsync(partner.Url, BookingsPerClerk);
            var running = rush.RunAsync();
            // A third of the bookings its own clerks send (half of all) answered by gateway-1: they are still booking one
            // after another, so it has requests in flight. A third of all answered was not enough once bookings got fast:
            // gateway-1's clerks had all finished while gateway-2's waited on their cold start, and the kill cut nothing.
            await Eventually.True(() => rush.AnsweredVia(0) >= rush.Bookings.Count / 6 || running.IsCompleted,
                "gateway-1 to answer a third of its clerks' bookings", TimeSpan.FromMinutes(2));
            // An Orleans client with requests in flight. Bookings take no lease (the operation keeps their keys), so nothing
            // of them waits for the dead gateway: each client's retry on gateway-2 is answered by the operation at once.
            var gateway = cluster.Gateways[0];
            var answeredAtKill = rush.Answered;
            // The moment of SIGKILL, not of the exit it waits for: from then on the gateway answers nothing.
            var killedAt = TimeProvider.System.GetTimestamp();
            await gateway.KillAsync();
            var exitedAfter = TimeProvider.System.GetElapsedTime(killedAt);
            var pendingAtKill = await cluster.ScalarAsync("SELECT count(*) FROM gateway_idempotency WHERE state = 'pending'");
            Assert.True(answeredAtKill < rush.Bookings.Count, "the gateway is killed before the rush is over");

            var figures = await running;
            var recovery = rush.RecoveryAfter(killedAt);
            output.WriteLine($"rush: {figures}; {gateway.Name} SIGKILLed after {answeredAtKill} of {rush.Bookings.Count} bookings were answered, " +
                $"{pendingAtKill} keys pending in the gateways' store at the kill; the process had exited {exitedAfter.TotalSeconds:F1} s after the signal");
            output.WriteLine($"recovery: {recovery}");
            output.WriteLine($"answers: {Summary(rush)}");
            PrintRetried(rush.Bookings.Where(b => b.Retried).OrderByDescending(b => b.Attempts));
            Assert.Empty(await DrillChecks.BookingsAsync(cluster, rush));
            Assert.Equal(0, pendingAtKill);
            Assert.True(figures.TransportFailures > 0, "the kill cut requests in flight on the gateway");
            AssertAnsweredAgainWithin(recovery, GatewayKillAnsweredWithin);

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
            var killedAt = TimeProvider.System.GetTimestamp();
            await silo.KillAsync();
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
            // The kill waits for deliveries, and the rush may be over by then (it takes 3-9 s): bookings in flight are not its point.
            AssertAnsweredAgainWithin(recovery, SiloKillAnsweredWithin);
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

    private static void AssertAnsweredAgainWithin(Recovery recovery, TimeSpan bound) =>
        Assert.True(recovery.InFlightAnswered <= bound,
            $"the {recovery.InFlight} bookings in flight at the kill were answered {recovery.InFlightAnswered.TotalSeconds:F1} s after it, " +
            $"more than {bound.TotalSeconds} s");

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
