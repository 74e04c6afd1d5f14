using FsCheck;
using FsCheck.Fluent;
using ReturnOps.PartnerSimulator;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>
/// A lane's claimed messages are sent one after another and marked together in one statement: the batch must not
/// change what each message comes to, the order per lane, or at-least-once when a replica dies between sending and marking.
/// </summary>
public sealed class LaneBatchTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    private int _runs;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_send_in_a_batch_marks_only_what_was_answered_before_it_and_hands_the_rest_back(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        await node.Publish("AT", "op-1", 1, 5);
        // Messages 1 and 2 pass; 3 fails its attempt and its one in-process retry; 4 and 5 are claimed with them.
        partner.Script(PartnerBehaviour.Ok, PartnerBehaviour.Ok, PartnerBehaviour.Fail, PartnerBehaviour.Fail);

        Assert.Equal(5, await node.Dispatcher.DispatchOnceAsync());

        Assert.Equal(["op-1-1", "op-1-2"], partner.Applied.Select(a => a.MessageId));
        Assert.Equal(2, await storage.ScalarAsync(
            "SELECT count(*) FROM outbox WHERE status = 'delivered' AND delivered_ms IS NOT NULL AND message_id IN ('op-1-1', 'op-1-2')"));
        Assert.Equal(1, await storage.ScalarAsync(
            "SELECT count(*) FROM outbox WHERE message_id = 'op-1-3' AND status = 'pending' AND attempts = 1 AND last_error LIKE '%HTTP 5xx%'"));
        Assert.Equal(2, await storage.ScalarAsync(
            "SELECT count(*) FROM outbox WHERE message_id IN ('op-1-4', 'op-1-5') AND status = 'pending' AND attempts = 0 AND last_error IS NULL"));
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE claimed_by IS NOT NULL"));

        await DrainAsync(node, storage);
        Assert.Equal(Enumerable.Range(1, 5), AppliedPerLane(partner)["op-1"]);
        Assert.Equal(5, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_dead_letter_inside_a_batch_is_marked_dead_with_the_batch_and_its_lane_goes_on(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        await node.Publish("AT", "op-1", 1, 1);
        await storage.ExecuteAsync(
            "INSERT INTO outbox (message_id, destination, lane, type, payload, occurred_ms, next_attempt_ms) VALUES " +
            "('bad-1', 'country:AT', 'op-1', 'booking.confirmed', 'not json', 0, 0)");
        await node.Publish("AT", "op-1", 2, 1);

        Assert.Equal(3, await node.Dispatcher.DispatchOnceAsync());

        Assert.Equal(["op-1-1", "op-1-2"], partner.Applied.Select(a => a.MessageId));
        Assert.Equal(1, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE message_id = 'bad-1' AND status = 'dead' AND last_error = 'payload is not JSON'"));
        Assert.Equal(2, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_claim_takes_the_first_messages_of_each_free_lane_up_to_the_batch_size_and_skips_claimed_lanes(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        await node.Publish("AT", "op-1", 1, 5);
        await node.Publish("AT", "op-2", 1, 5);
        await node.Publish("AT", "op-3", 1, 5);
        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();

        var first = await node.Store.ClaimAsync("silo-1", now, now + 60_000, lanes: 2, perLane: 3, CancellationToken.None);
        var second = await node.Store.ClaimAsync("silo-2", now, now + 60_000, lanes: 2, perLane: 3, CancellationToken.None);

        Assert.Equal(["op-1-1", "op-1-2", "op-1-3", "op-2-1", "op-2-2", "op-2-3"], first.OrderBy(r => r.Id).Select(r => r.MessageId));
        // op-1 and op-2 are held by their heads' claims: only op-3 is free, although op-1-4 and op-2-4 are unclaimed.
        Assert.Equal(["op-3-1", "op-3-2", "op-3-3"], second.OrderBy(r => r.Id).Select(r => r.MessageId));
        Assert.Equal(6, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending' AND claimed_by IS NULL"));
    }

    [Fact]
    public async Task A_replica_that_dies_after_sending_a_batch_but_before_marking_it_leaves_it_to_be_sent_again_and_applied_once()
    {
        var (storage, cluster) = await StartAsync("Postgres", silos: 2);
        DyingStore? dying = null;
        var doomed = Node(cluster, 0, wrap: s => dying = new DyingStore(s));
        var survivor = Node(cluster, 1);
        var partner = await PartnerAsync();
        await Subscribe(survivor, "NL", partner);
        await survivor.Publish("NL", "op-9", 1, 5);
        dying!.DiesAtMark = true;

        await doomed.Dispatcher.DispatchOnceAsync();

        // Every message was acknowledged, none is marked, and the dead replica could not hand them back.
        Assert.Equal(Enumerable.Range(1, 5), AppliedPerLane(partner)["op-9"]);
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status <> 'pending'"));
        Assert.Equal(5, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE claimed_by = 'silo-1'"));
        Assert.Equal(0, await survivor.Dispatcher.DispatchOnceAsync());

        Clock.Advance(TestOptions().ClaimLease + TimeSpan.FromSeconds(1));
        await DrainAsync(survivor, storage);

        Assert.Equal(10, partner.Received.Count); // sent again, under the same ids
        Assert.Equal(Enumerable.Range(1, 5), AppliedPerLane(partner)["op-9"]);
        Assert.Equal(5, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
    }

    /// <summary>
    /// Any batch size, lanes and partner answers (failures, lost acknowledgements): every message ends delivered, each is
    /// applied once, and a lane's message is never sent before the one before it was acknowledged.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Batches_of_any_size_keep_lane_order_and_deliver_each_message_whatever_the_partner_answers(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var cases =
            from batch in Gen.Choose(1, 4)
            from lanes in Gen.ListOf(Gen.Choose(1, 7)).Select(l => l.Take(3).DefaultIfEmpty(3).ToArray())
            from answers in Gen.ListOf(Gen.Elements(PartnerBehaviour.Ok, PartnerBehaviour.Ok, PartnerBehaviour.Fail, PartnerBehaviour.LostAck))
            select (Batch: batch, Lanes: lanes, Answers: answers.Take(12).ToArray());
        var property = Prop.ForAll(Arb.From(cases),
            c => Task.Run(() => RunAsync(storage, cluster, c.Batch, c.Lanes, c.Answers)).GetAwaiter().GetResult());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(15).WithQuietOnSuccess(true), property);
    }

    private async Task RunAsync(TestStorage storage, TestCluster cluster, int batch, int[] lanes, PartnerBehaviour[] answers)
    {
        var run = Interlocked.Increment(ref _runs);
        var options = TestOptions();
        options.MessagesPerLane = batch;
        options.MaxAttempts = 100; // failures are scripted, not persistent: nothing should go dead
        var node = Node(cluster, 0, options);
        var partner = await PartnerAsync();
        var subscription = await node.Subscriptions.CreateAsync("AT", "AT", new(partner.Url.ToString(), Secret, ["*"]));
        partner.Script(answers);
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            await node.Publish("AT", $"run{run}-{lane}", 1, lanes[lane]);
        }

        await DrainAsync(node, storage);
        await node.Subscriptions.DeleteAsync("AT", subscription.Id);

        var applied = AppliedPerLane(partner);
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            Assert.Equal(Enumerable.Range(1, lanes[lane]), applied[$"run{run}-{lane}"]);
        }
        // Sent in order: a receipt of message n comes only after message n-1 was answered with success.
        foreach (var receipts in partner.Received.Select(r => (Receipt: r, Message: Parse(r))).GroupBy(r => r.Message.Lane))
        {
            var acknowledged = 0;
            foreach (var (receipt, (_, seq)) in receipts)
            {
                Assert.True(seq <= acknowledged + 1, $"{receipt.MessageId} was sent before message {acknowledged + 1} of its lane was acknowledged");
                if (receipt.Answer is PartnerBehaviour.Ok && seq == acknowledged + 1)
                {
                    acknowledged = seq;
                }
            }
        }
        Assert.Equal(0, await storage.ScalarAsync($"SELECT count(*) FROM outbox WHERE lane LIKE 'run{run}-%' AND status <> 'delivered'"));
    }
}
