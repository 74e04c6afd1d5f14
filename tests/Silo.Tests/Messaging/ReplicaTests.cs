using ReturnOps.PartnerSimulator;
using ReturnOps.Silo.Messaging;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>Several replicas dispatch one outbox: each lane is sent by one of them at a time, in order.</summary>
public sealed class ReplicaTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    [Fact]
    public async Task Three_replicas_dispatching_at_once_deliver_every_lane_in_order_without_duplicates()
    {
        var (storage, cluster) = await StartAsync("Postgres", silos: 3);
        var nodes = Enumerable.Range(0, cluster.Silos.Count).Select(silo => Node(cluster, silo)).ToList();
        var partner = await PartnerAsync();
        await Subscribe(nodes[0], "AT", partner);
        foreach (var node in nodes)
        {
            await node.Dispatcher.StartAsync(CancellationToken.None);
        }

        // Written from every replica, interleaved across lanes, while all three dispatch.
        await Task.WhenAll(Enumerable.Range(1, 10).Select(lane =>
            nodes[lane % 3].Publish("AT", $"op-{lane}", 1, 20)));

        await Eventually.True(() => partner.Applied.Count == 200, "200 messages delivered by three replicas");
        Assert.Equal(200, partner.Received.Count); // nothing failed, so nothing was sent twice
        var lanes = AppliedPerLane(partner);
        Assert.All(Enumerable.Range(1, 10), lane => Assert.Equal(Enumerable.Range(1, 20), lanes[$"op-{lane}"]));
        await Eventually.True(async () => await storage.ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'delivered'") == 200,
            "every row marked delivered");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_partner_that_never_answers_is_abandoned_at_the_attempt_timeout_and_retried_later(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);
        var partner = await PartnerAsync();
        await Subscribe(node, "PL", partner);
        partner.Behaviour = PartnerBehaviour.Hang;
        await node.Publish("PL", "op-5", 1, 2);

        var dispatch = node.Dispatcher.DispatchOnceAsync();
        await partner.WhenHanging.WaitAsync(TimeSpan.FromSeconds(10));
        // Each in-process attempt hangs until the fake clock passes its timeout.
        while (!dispatch.IsCompleted)
        {
            Clock.Advance(TestOptions().AttemptTimeout);
            await Task.WhenAny(dispatch, Task.Delay(20));
        }
        await dispatch;

        var head = (await node.Deliveries.ListAsync(DeliveryStatus.Pending))[0];
        Assert.Equal(("op-5-1", 1), (head.MessageId, head.Attempts));
        Assert.Contains("no answer", head.LastError, StringComparison.Ordinal);

        partner.Behaviour = PartnerBehaviour.Ok;
        partner.ReleaseHanging();
        await DrainAsync(node, storage);
        Assert.Equal(["op-5-1", "op-5-2"], partner.Applied.Select(a => a.MessageId));
    }
}
