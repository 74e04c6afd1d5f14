using ReturnOps.PartnerSimulator;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>One broken partner must not slow the others.</summary>
public sealed class CircuitIsolationTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    /// <summary>
    /// Counted, not timed: the fake clock stands still, so DE's circuit never half-opens and no backoff ends. If AT's lanes waited
    /// behind DE's in any way (a slot held, a claim loop waiting on DE's break), AT's batch would never arrive.
    /// </summary>
    [Fact]
    public async Task An_open_circuit_on_one_destination_neither_sends_to_it_nor_holds_the_others()
    {
        var (storage, cluster) = await StartAsync("Postgres");
        // The fake clock never reaches the poll interval: every delivery below is woken by NOTIFY.
        var node = Node(cluster, 0);
        var healthy = await PartnerAsync();
        var broken = await PartnerAsync();
        await Subscribe(node, "AT", healthy);
        await Subscribe(node, "DE", broken);
        await node.Dispatcher.StartAsync(CancellationToken.None);

        broken.Behaviour = PartnerBehaviour.Fail;
        await PublishLanes(node, "DE", "trip", 4, 1);
        await Eventually.True(async () => await storage.ScalarAsync(
                "SELECT count(*) FROM outbox WHERE destination = 'country:DE' AND last_error IS NOT NULL AND claimed_by IS NULL") == 4,
            "DE's failures that open its circuit");
        broken.Behaviour = PartnerBehaviour.Hang;
        var seenByBroken = broken.Received.Count;

        await PublishLanes(node, "DE", "held", 4, 5);
        await PublishLanes(node, "AT", "during", 4, 5);
        await Eventually.True(() => healthy.Applied.Count == 20, "the batch to AT while DE's circuit is open");

        Assert.Equal(seenByBroken, broken.Received.Count); // the open circuit sent nothing to DE
        Assert.Equal(24, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE destination = 'country:DE' AND status = 'pending' AND claimed_by IS NULL"));
        Assert.All(AppliedPerLane(healthy).Values, seqs => Assert.Equal(Enumerable.Range(1, 5), seqs));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Lanes_refused_while_the_circuit_probes_go_as_soon_as_the_probe_succeeds_not_a_break_later(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        await partner.StopAsync();
        await PublishLanes(node, "AT", "op", 8, 3);
        await node.Dispatcher.DispatchOnceAsync(); // connection refused: the circuit opens
        Assert.True(await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE last_error LIKE '%circuit open%'") > 0, "the circuit should have opened");

        await partner.StartAgainAsync();
        Clock.Advance(TestOptions().BreakerBreakDuration + TimeSpan.FromSeconds(1)); // the break and every backoff are over
        // All 8 lanes are due: one lane's request probes the half-open circuit, which refuses the 7 others meanwhile.
        await node.Dispatcher.DispatchOnceAsync();
        Assert.True(await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") > 0,
            "the half-open circuit should have refused some lanes");

        // The probe succeeded and closed the circuit: the refused lanes are due now, not a break duration later.
        for (var round = 0; round < 10 && await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'") > 0; round++)
        {
            await node.Dispatcher.DispatchOnceAsync();
        }

        Assert.Equal(24, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'dead'"));
        var lanes = AppliedPerLane(partner);
        Assert.Equal(8, lanes.Count);
        Assert.All(lanes.Values, seqs => Assert.Equal(Enumerable.Range(1, 3), seqs));
    }

    [Fact]
    public async Task A_dead_partner_keeps_refused_lanes_waiting_for_the_break_without_requests()
    {
        var (storage, cluster) = await StartAsync("Sqlite");
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        partner.Behaviour = PartnerBehaviour.Fail;
        await PublishLanes(node, "AT", "op", 8, 3);
        await node.Dispatcher.DispatchOnceAsync(); // HTTP 500s: the circuit opens
        Clock.Advance(TestOptions().BreakerBreakDuration + TimeSpan.FromSeconds(1));
        await node.Dispatcher.DispatchOnceAsync(); // the probe fails: the circuit opens again, the others were refused
        var requests = partner.Received.Count;

        // Nothing succeeded, so nothing was woken: no lane is due before the next break ends.
        Assert.Equal(0, await node.Dispatcher.DispatchOnceAsync());
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await node.Dispatcher.DispatchOnceAsync());
        Assert.Equal(requests, partner.Received.Count);
        Assert.Equal(24, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'"));
    }

    /// <summary>
    /// Counted, not timed: DE holds every request it gets until released (the slowest partner there is), and AT's whole batch
    /// must arrive meanwhile, while DE has applied nothing; then DE's lanes go on in order.
    /// </summary>
    [Fact]
    public async Task A_slow_partner_holds_only_its_own_lanes()
    {
        var (storage, cluster) = await StartAsync("Postgres");
        var node = Node(cluster, 0);
        var healthy = await PartnerAsync();
        var slow = await PartnerAsync();
        await Subscribe(node, "AT", healthy);
        await Subscribe(node, "DE", slow);
        await node.Dispatcher.StartAsync(CancellationToken.None);

        slow.Behaviour = PartnerBehaviour.Hang;
        await PublishLanes(node, "DE", "slow", 4, 5);
        await slow.WhenHanging.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await PublishLanes(node, "AT", "during", 4, 5);
        await Eventually.True(() => healthy.Applied.Count == 20, "the batch to AT while DE holds its requests");

        Assert.Empty(slow.Applied);
        Assert.InRange(slow.Received.Count, 1, 4); // at most one request per DE lane in flight: a lane waits for its head
        slow.Behaviour = PartnerBehaviour.Ok;
        slow.ReleaseHanging(); // the held requests answer 503 and apply nothing
        await Eventually.True(async () => await storage.ScalarAsync(
                "SELECT count(*) FROM outbox WHERE destination = 'country:DE' AND claimed_by IS NOT NULL") == 0,
            "DE's released lanes handed back");
        // Each step of the fake clock ends backoffs (and a break, if the 503s opened DE's circuit) and wakes the dispatcher.
        await Eventually.True(() =>
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            return slow.Applied.Count == 20;
        }, "DE's messages once it answers again");
        Assert.All(AppliedPerLane(slow).Values, seqs => Assert.Equal(Enumerable.Range(1, 5), seqs));
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'dead'"));
    }

    [Fact]
    public async Task A_stopping_replica_hands_back_the_lanes_it_has_not_sent()
    {
        var (storage, cluster) = await StartAsync("Postgres");
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        partner.Behaviour = PartnerBehaviour.Hang;
        await node.Dispatcher.StartAsync(CancellationToken.None);
        await node.Publish("AT", "op-1", 1, 5);
        await partner.WhenHanging.WaitAsync(TimeSpan.FromSeconds(10));

        await node.Dispatcher.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE claimed_by IS NOT NULL"));
        Assert.Equal(5, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 0"));
    }

    private static async Task PublishLanes(MessagingNode node, string country, string prefix, int lanes, int perLane)
    {
        for (var lane = 1; lane <= lanes; lane++)
        {
            await node.Publish(country, $"{prefix}-{lane}", 1, perLane);
        }
    }
}
