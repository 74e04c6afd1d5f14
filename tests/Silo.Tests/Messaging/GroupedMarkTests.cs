using FsCheck;
using FsCheck.Fluent;
using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>
/// Lanes that finish while a mark is in flight are marked together by the next one, in one statement (group commit):
/// that must not change the order per lane, apply a message twice or lose one, and a failed mark must mark none of the
/// lanes in it and leave their messages pending, to be sent again under the same ids.
/// </summary>
public sealed class GroupedMarkTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    private int _runs;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Lanes_that_finish_while_a_mark_is_in_flight_are_marked_together_by_the_next_one(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        MarkingStore? marks = null;
        var node = Node(cluster, 0, wrap: s => marks = new MarkingStore(s));
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        for (var lane = 1; lane <= 8; lane++)
        {
            await node.Publish("AT", $"op-{lane}", 1, 3);
        }
        marks!.HoldFirst();

        var dispatch = node.Dispatcher.DispatchOnceAsync();
        // The first lane to finish marks at once and is held there (with any lane that queued before it passed the gate);
        // the other lanes finish meanwhile and queue.
        await Eventually.True(() => marks.Calls.Count == 1 && node.Dispatcher.Marks.Queued + marks.Calls[0].Count / 3 == 8,
            "every other lane queued behind the first mark");
        var queued = node.Dispatcher.Marks.Queued;
        marks.Release();
        Assert.Equal(24, await dispatch);

        // One more statement marked every queued lane's batch.
        Assert.Equal(2, marks.Calls.Count);
        Assert.Equal(queued * 3, marks.Calls[1].Count);
        Assert.Equal(24, marks.Calls.Sum(c => c.Count));
        Assert.Equal(24, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered' AND claimed_by IS NULL"));
        Assert.Equal(24, partner.Received.Count); // none sent twice
        var applied = AppliedPerLane(partner);
        Assert.All(Enumerable.Range(1, 8), lane => Assert.Equal([1, 2, 3], applied[$"op-{lane}"]));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_mark_marks_none_of_the_lanes_in_it_and_their_messages_stay_pending_to_be_sent_again(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        MarkingStore? marks = null;
        var node = Node(cluster, 0, wrap: s => marks = new MarkingStore(s));
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        for (var lane = 1; lane <= 4; lane++)
        {
            await node.Publish("AT", $"op-{lane}", 1, 3);
        }
        marks!.Failing = true;
        marks.HoldFirst();

        var dispatch = node.Dispatcher.DispatchOnceAsync();
        await Eventually.True(() => marks.Calls.Count == 1 && node.Dispatcher.Marks.Queued + marks.Calls[0].Count / 3 == 4,
            "every other lane queued behind the first mark");
        marks.Release();
        await dispatch;

        // Every lane's statement failed: all twelve were applied by the partner, none is marked, and all are handed back.
        Assert.Equal(12, partner.Applied.Count);
        Assert.Equal(12, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'pending' AND claimed_by IS NULL AND delivered_ms IS NULL"));

        marks.Failing = false;
        await DrainAsync(node, storage);

        Assert.Equal(24, partner.Received.Count); // sent again, under the same ids
        var applied = AppliedPerLane(partner);
        Assert.All(Enumerable.Range(1, 4), lane => Assert.Equal([1, 2, 3], applied[$"op-{lane}"]));
        Assert.Equal(12, await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'"));
    }

    /// <summary>
    /// A lane that has sent its batch and waits for its mark no longer holds one of <c>MaxConcurrentLanes</c>: another lane is
    /// claimed and sent meanwhile. The lane being marked is not claimed again (its rows stay leased until the mark), so
    /// nothing is sent twice and order per lane holds.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_lane_waiting_for_its_mark_frees_its_slot_for_another_lane_and_is_not_claimed_again(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var options = TestOptions();
        options.MaxConcurrentLanes = 1;
        options.LanesPerClaim = 1;
        MarkingStore? marks = null;
        var node = Node(cluster, 0, options, wrap: s => marks = new MarkingStore(s));
        var partner = await PartnerAsync();
        await Subscribe(node, "AT", partner);
        await node.Publish("AT", "op-1", 1, 3);
        await node.Publish("AT", "op-2", 1, 3);
        marks!.HoldFirst();

        await node.Dispatcher.StartAsync(CancellationToken.None);
        try
        {
            // The one slot sent the first lane, whose mark is held, then went on to the second lane.
            await Eventually.True(() => partner.Received.Count == 6, "the second lane sent while the first lane's mark was held");
            Assert.Equal(3, Assert.Single(marks.Calls).Count);
        }
        finally
        {
            // Released on failure too: the dispatcher's stop waits for the held lane.
            marks.Release();
        }
        await Eventually.True(async () => await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered' AND claimed_by IS NULL") == 6,
            "both lanes marked delivered");
        await node.Dispatcher.StopAsync();

        Assert.Equal(6, partner.Received.Count); // none sent twice
        var applied = AppliedPerLane(partner);
        Assert.All(Enumerable.Range(1, 2), lane => Assert.Equal([1, 2, 3], applied[$"op-{lane}"]));
    }

    /// <summary>
    /// Any lanes, partner answers and failing marks, with every claimed lane sending at once (so their marks meet): each
    /// message ends delivered and is applied once, in its lane's order, and every failed mark left its rows pending.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Grouped_marks_that_fail_at_random_keep_lane_order_and_apply_each_message_once(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var cases =
            from lanes in Gen.ListOf(Gen.Choose(1, 5)).Select(l => l.Take(6).DefaultIfEmpty(2).ToArray())
            from answers in Gen.ListOf(Gen.Elements(PartnerBehaviour.Ok, PartnerBehaviour.Ok, PartnerBehaviour.Ok, PartnerBehaviour.Fail, PartnerBehaviour.LostAck))
            from failingMarks in Gen.ListOf(Gen.Elements(false, false, true))
            select (Lanes: lanes, Answers: answers.Take(12).ToArray(), FailingMarks: failingMarks.Take(8).ToArray());
        var property = Prop.ForAll(Arb.From(cases),
            c => Task.Run(() => RunAsync(storage, cluster, c.Lanes, c.Answers, c.FailingMarks)).GetAwaiter().GetResult());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12).WithQuietOnSuccess(true), property);
    }

    private async Task RunAsync(TestStorage storage, TestCluster cluster, int[] lanes, PartnerBehaviour[] answers, bool[] failingMarks)
    {
        var run = Interlocked.Increment(ref _runs);
        var options = TestOptions();
        options.MaxAttempts = 100; // failures are scripted, not persistent: nothing should go dead
        MarkingStore? marks = null;
        var node = Node(cluster, 0, options, wrap: s => marks = new MarkingStore(s));
        var partner = await PartnerAsync();
        var subscription = await node.Subscriptions.CreateAsync("AT", "AT", new(partner.Url.ToString(), Secret, ["*"]));
        partner.Script(answers);
        marks!.Script(failingMarks);
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            await node.Publish("AT", $"grp{run}-{lane}", 1, lanes[lane]);
        }

        await DrainAsync(node, storage);
        await node.Subscriptions.DeleteAsync("AT", subscription.Id);

        var applied = AppliedPerLane(partner);
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            Assert.Equal(Enumerable.Range(1, lanes[lane]), applied[$"grp{run}-{lane}"]);
        }
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
        Assert.Equal(0, await storage.ScalarAsync($"SELECT count(*) FROM outbox WHERE lane LIKE 'grp{run}-%' AND status <> 'delivered'"));
        // A failed mark wrote nothing: every row that a failed statement held was delivered by a later one.
        Assert.All(marks.Failed, id => Assert.True(marks.Marked.Contains(id), $"row {id} failed to be marked and was never marked after"));
    }
}

/// <summary>
/// The real store, with its marks recorded and, on demand, the first one held until released or marks failing before
/// they reach the database (as when the connection breaks): what the dispatcher does around a mark, seen from outside.
/// </summary>
internal sealed class MarkingStore(IOutboxStore inner) : IOutboxStore
{
    private readonly Lock _lock = new();
    private readonly Queue<bool> _script = new();
    private TaskCompletionSource? _hold;

    /// <summary>The rows of each mark, in the order the marks began.</summary>
    public List<IReadOnlyCollection<long>> Calls { get; } = [];

    /// <summary>Rows whose mark failed, and rows marked.</summary>
    public HashSet<long> Failed { get; } = [];
    public HashSet<long> Marked { get; } = [];

    /// <summary>Every mark fails while set (after any scripted answers).</summary>
    public bool Failing { get; set; }

    public void HoldFirst() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _hold?.TrySetResult();

    /// <summary>The next marks fail (true) or pass (false) in this order; then <see cref="Failing"/> decides.</summary>
    public void Script(IEnumerable<bool> failing)
    {
        lock (_lock)
        {
            foreach (var fails in failing)
            {
                _script.Enqueue(fails);
            }
        }
    }

    public async Task CompleteAsync(IReadOnlyCollection<CompletedMessage> messages, CancellationToken cancellationToken)
    {
        bool fails;
        Task? held;
        lock (_lock)
        {
            Calls.Add([.. messages.Select(m => m.Id)]);
            fails = _script.TryDequeue(out var scripted) ? scripted : Failing;
            held = Calls.Count == 1 ? _hold?.Task : null;
        }
        if (held is not null)
        {
            await held;
        }
        if (fails)
        {
            lock (_lock)
            {
                Failed.UnionWith(messages.Select(m => m.Id));
            }
            throw new StorageUnavailableException("The connection broke before the mark.");
        }
        await inner.CompleteAsync(messages, cancellationToken);
        lock (_lock)
        {
            Marked.UnionWith(messages.Select(m => m.Id));
        }
    }

    public Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, long nowMs, long leaseUntilMs, int lanes, int perLane, CancellationToken cancellationToken) =>
        inner.ClaimAsync(owner, nowMs, leaseUntilMs, lanes, perLane, cancellationToken);

    public Task RescheduleAsync(long id, string owner, int attempts, long nextAttemptMs, string error, CancellationToken cancellationToken) =>
        inner.RescheduleAsync(id, owner, attempts, nextAttemptMs, error, cancellationToken);

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string owner, CancellationToken cancellationToken) => inner.ReleaseAsync(ids, owner, cancellationToken);

    public Task WakeAsync(IReadOnlyCollection<long> ids, long nowMs, CancellationToken cancellationToken) => inner.WakeAsync(ids, nowMs, cancellationToken);

    public Task ListenAsync(Action onSignal, CancellationToken cancellationToken) => inner.ListenAsync(onSignal, cancellationToken);
}
