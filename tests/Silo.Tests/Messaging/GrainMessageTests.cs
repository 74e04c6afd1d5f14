using ReturnOps.Silo.Messaging;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>Grain-to-grain one-way messages travel through the outbox: durable, in lane order, applied once.</summary>
public sealed class GrainMessageTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_returnee_boarding_reaches_its_operation_once_even_when_delivery_fails_or_is_repeated(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var calls = 0;
        var routes = new GrainMessageRoutes().Map("operation", async (grains, message) =>
        {
            var call = Interlocked.Increment(ref calls);
            if (call == 1)
            {
                throw new InvalidOperationException("The operation's replica is restarting.");
            }
            await grains.GetGrain<IOperationGrain>(message.Key).OnReturneeBoarded(message.MessageId, message.Payload);
            if (call == 3)
            {
                throw new TimeoutException("Applied, but the caller never heard back.");
            }
        });
        var node = Node(cluster, 0, routes: routes);

        foreach (var returnee in new[] { "r-1", "r-2", "r-3" })
        {
            await cluster[0].GetGrain<IReturneeGrain>(returnee).Board("OP-17");
        }
        await DrainAsync(node, storage);

        var boarded = await cluster[0].GetGrain<IOperationGrain>("OP-17").Boarded();
        Assert.Equal(["""{"returnee":"r-1"}""", """{"returnee":"r-2"}""", """{"returnee":"r-3"}"""], boarded);
        Assert.Equal(5, calls); // r-1 failed once; r-2 was applied, unacknowledged, and delivered again
    }

    [Fact]
    public async Task A_message_to_a_grain_route_nobody_mapped_is_dead_at_once()
    {
        var (storage, cluster) = await StartAsync("Sqlite");
        var node = Node(cluster, 0, routes: new GrainMessageRoutes());

        await cluster[0].GetGrain<IReturneeGrain>("r-1").Board("OP-17");
        await DrainAsync(node, storage);

        var dead = Assert.Single(await node.Deliveries.ListAsync(DeliveryStatus.Dead));
        Assert.Equal("no grain route 'operation'", dead.LastError);
    }
}
