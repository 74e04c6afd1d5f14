using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>At least once, in order per lane, effect once at the receiver, whatever the partner does.</summary>
public sealed class DeliveryTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Partner_down_then_up_receives_every_message_in_lane_order_and_none_is_lost(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        await partner.StopAsync();
        foreach (var lane in new[] { "op-1", "op-2", "op-3" })
        {
            await node.Publish("AT", lane, 1, 5);
        }

        await node.Dispatcher.DispatchOnceAsync();
        Assert.Equal(15, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending'"));
        // Only each lane's first message was tried (or refused by the opened circuit); the rest wait behind it.
        Assert.Equal(3, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE last_error IS NOT NULL"));

        await node.Publish("AT", "op-1", 6, 5);
        await partner.StartAgainAsync();
        await DrainAsync(node, storage);

        Assert.Equal(20, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
        var lanes = AppliedPerLane(partner);
        Assert.Equal(Enumerable.Range(1, 10), lanes["op-1"]);
        Assert.Equal(Enumerable.Range(1, 5), lanes["op-2"]);
        Assert.Equal(Enumerable.Range(1, 5), lanes["op-3"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Intermittent_500s_and_lost_acks_show_only_as_repeated_ids_and_apply_once(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var options = TestOptions();
        options.MaxAttempts = 100; // 3 of 5 answers fail: with the default bound some message would rightly go dead
        var node = Node(cluster, 0, options);
        var partner = await PartnerAsync();
        await Subscribe(node, "DE", partner);
        var answers = new[] { PartnerBehaviour.Fail, PartnerBehaviour.LostAck, PartnerBehaviour.Ok, PartnerBehaviour.LostAck, PartnerBehaviour.Ok };
        partner.Script([.. Enumerable.Repeat(answers, 8).SelectMany(a => a)]);
        await node.Publish("DE", "op-a", 1, 10);
        await node.Publish("DE", "op-b", 1, 10);

        await DrainAsync(node, storage);

        Assert.Equal(20, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
        var published = Enumerable.Range(1, 10).SelectMany(i => new[] { $"op-a-{i}", $"op-b-{i}" }).ToHashSet();
        Assert.True(partner.Received.Count > 20, "the script should have forced redeliveries");
        Assert.All(partner.Received, r => Assert.Contains(r.MessageId, published));
        Assert.Equal(published.Order(), partner.Applied.Select(a => a.MessageId).Order());
        var lanes = AppliedPerLane(partner);
        Assert.Equal(Enumerable.Range(1, 10), lanes["op-a"]);
        Assert.Equal(Enumerable.Range(1, 10), lanes["op-b"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_rescheduled_message_is_sent_again_when_it_is_due_not_at_the_next_poll(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var options = TestOptions();
        options.PollInterval = TimeSpan.FromHours(1); // nothing below may be found by polling
        var node = Node(cluster, 0, options);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        partner.Script(PartnerBehaviour.Fail, PartnerBehaviour.Fail); // the attempt and its in-process retry
        await node.Publish("AT", "op-1", 1, 2);
        await node.Dispatcher.StartAsync(CancellationToken.None);
        node.Dispatcher.Wake(); // SQLite has no NOTIFY

        await Eventually.True(async () => await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE attempts = 1 AND claimed_by IS NULL") == 1,
            "the first message rescheduled");
        Assert.Empty(partner.Applied);
        // The retry is due within RetryBaseDelay (equal jitter): moving the clock there, and no further, sends the lane.
        Clock.Advance(options.RetryBaseDelay);

        await Eventually.True(() => partner.Applied.Count == 2, "the lane sent once its first message was due");
        Assert.Equal(Enumerable.Range(1, 2), AppliedPerLane(partner)["op-1"]);
    }

    [Fact]
    public async Task A_replica_that_dies_mid_dispatch_leaves_its_lane_to_another_once_the_claim_expires()
    {
        var (storage, cluster) = await StartAsync("Postgres", silos: 2);
        DyingStore? dying = null;
        var doomed = Node(cluster, 0, wrap: s => dying = new DyingStore(s));
        var survivor = Node(cluster, 1);
        var partner = await PartnerAsync();
        await Subscribe(survivor, "NL", partner);
        await survivor.Publish("NL", "op-9", 1, 5);

        partner.Behaviour = PartnerBehaviour.Hang;
        using var crash = new CancellationTokenSource();
        var inFlight = doomed.Dispatcher.DispatchOnceAsync(crash.Token);
        await partner.WhenHanging.WaitAsync(TimeSpan.FromSeconds(10));
        dying!.Die();
        await crash.CancelAsync();
        await inFlight.WaitAsync(TimeSpan.FromSeconds(10));
        partner.Behaviour = PartnerBehaviour.Ok;
        partner.ReleaseHanging();

        Assert.Equal(5, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE claimed_by = 'silo-1'"));
        Assert.Equal(0, await survivor.Dispatcher.DispatchOnceAsync());
        Clock.Advance(TestOptions().ClaimLease + TimeSpan.FromSeconds(1));
        await DrainAsync(survivor, storage);

        Assert.Equal(Enumerable.Range(1, 5), AppliedPerLane(partner)["op-9"]);
        Assert.Equal(5, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_dead_letter_is_listed_then_replayed_then_delivered(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "BE", partner);
        partner.Behaviour = PartnerBehaviour.Fail;
        await node.Publish("BE", "op-7", 1, 2);

        await DrainAsync(node, storage);

        var dead = await node.Deliveries.ListAsync(DeliveryStatus.Dead);
        Assert.Equal(["op-7-1", "op-7-2"], dead.Select(d => d.MessageId));
        Assert.All(dead, d => Assert.Equal(TestOptions().MaxAttempts, d.Attempts));
        Assert.All(dead, d => Assert.Contains("HTTP 5xx", d.LastError, StringComparison.Ordinal));
        Assert.Empty(partner.Applied);

        partner.Behaviour = PartnerBehaviour.Ok;
        Assert.Equal(ReplayResult.Replayed, await node.Deliveries.ReplayAsync("op-7-2"));
        Assert.Equal(ReplayResult.NotReplayable, await node.Deliveries.ReplayAsync("op-7-2"));
        Assert.Equal(ReplayResult.NotFound, await node.Deliveries.ReplayAsync("op-7-99"));
        Clock.Advance(TestOptions().BreakerBreakDuration);
        await DrainAsync(node, storage);
        Assert.Equal(ReplayResult.Replayed, await node.Deliveries.ReplayAsync("op-7-1"));
        await DrainAsync(node, storage);

        Assert.Empty(await node.Deliveries.ListAsync(DeliveryStatus.Dead));
        Assert.Equal(["op-7-2", "op-7-1"], partner.Applied.Select(a => a.MessageId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Only_subscriptions_whose_filter_matches_receive_and_the_rest_is_unrouted_until_replayed(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var bookings = await PartnerAsync();
        var everything = await PartnerAsync();
        await Subscribe(node, "AT", bookings, "booking.*");
        await node.Publish("AT", "op-1", 1, 1, type: "booking.confirmed");
        await node.Publish("AT", "op-2", 1, 1, type: "manifest.cleared");
        await node.Publish("SE", "op-3", 1, 1, type: "booking.confirmed");

        await DrainAsync(node, storage);

        Assert.Equal(["op-1-1"], bookings.Applied.Select(a => a.MessageId));
        Assert.Equal(["op-2-1", "op-3-1"], (await node.Deliveries.ListAsync(DeliveryStatus.Unrouted)).Select(d => d.MessageId));

        await Subscribe(node, "AT", everything, "*");
        Assert.Equal(ReplayResult.Replayed, await node.Deliveries.ReplayAsync("op-2-1"));
        await DrainAsync(node, storage);
        Assert.Equal(["op-2-1"], everything.Applied.Select(a => a.MessageId));
        Assert.Equal(["op-1-1"], bookings.Applied.Select(a => a.MessageId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_payload_that_is_not_json_and_an_unknown_destination_go_to_the_dead_letters_without_blocking_their_lane(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        await storage.ExecuteAsync(
            "INSERT INTO outbox (message_id, destination, lane, type, payload, occurred_ms, next_attempt_ms) VALUES " +
            "('bad-1', 'country:AT', 'op-1', 'booking.confirmed', 'not json', 0, 0), " +
            "('bad-2', 'fax:AT', 'op-1', 'booking.confirmed', '{}', 0, 0)");
        await node.Publish("AT", "op-1", 1, 1);

        await DrainAsync(node, storage);

        Assert.Equal(["bad-1", "bad-2"], (await node.Deliveries.ListAsync(DeliveryStatus.Dead)).Select(d => d.MessageId));
        Assert.Equal(["op-1-1"], partner.Applied.Select(a => a.MessageId));
    }
}

/// <summary>A replica's view of the outbox that goes dark at once, as when its process is killed.</summary>
internal sealed class DyingStore(IOutboxStore inner) : IOutboxStore
{
    private volatile bool _dead;

    public void Die() => _dead = true;

    /// <summary>Dies when the dispatcher marks its first batch: after it sent the batch, before the database knows.</summary>
    public bool DiesAtMark { get; set; }

    private T Alive<T>(Func<T> call) => _dead ? throw new ReturnOps.Storage.StorageUnavailableException("The replica is dead.") : call();

    public Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, long nowMs, long leaseUntilMs, int lanes, int perLane, CancellationToken cancellationToken) =>
        Alive(() => inner.ClaimAsync(owner, nowMs, leaseUntilMs, lanes, perLane, cancellationToken));

    public Task CompleteAsync(IReadOnlyCollection<CompletedMessage> messages, CancellationToken cancellationToken)
    {
        if (DiesAtMark)
        {
            Die();
        }
        return Alive(() => inner.CompleteAsync(messages, cancellationToken));
    }

    public Task RescheduleAsync(long id, string owner, int attempts, long nextAttemptMs, string error, CancellationToken cancellationToken) =>
        Alive(() => inner.RescheduleAsync(id, owner, attempts, nextAttemptMs, error, cancellationToken));

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string owner, CancellationToken cancellationToken) =>
        Alive(() => inner.ReleaseAsync(ids, owner, cancellationToken));

    public Task WakeAsync(IReadOnlyCollection<long> ids, long nowMs, CancellationToken cancellationToken) =>
        Alive(() => inner.WakeAsync(ids, nowMs, cancellationToken));

    public Task ListenAsync(Action onSignal, CancellationToken cancellationToken) => inner.ListenAsync(onSignal, cancellationToken);
}
