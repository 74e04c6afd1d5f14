using System.Data.Common;
using ReturnOps.TestSupport;

namespace ReturnOps.Silo.Tests.Messaging;

/// <summary>An inbound message's effect and its inbox row commit together, once per consumer.</summary>
public sealed class InboxTests(SharedPostgres postgres) : MessagingTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_same_message_delivered_ten_times_at_once_is_applied_once(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => node.Inbox.ApplyOnceAsync("clearance-1", "manifest", (c, tx, ct) => Clear(c, tx, "c-1", ct)))));

        Assert.Equal(1, results.Count(applied => applied));
        Assert.Equal(1, await storage.ScalarAsync("SELECT count(*) FROM clearances"));
        Assert.Equal(1, await storage.ScalarAsync("SELECT count(*) FROM inbox"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_effect_leaves_no_inbox_row_so_the_redelivery_applies_it(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var node = Node(cluster, 0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => node.Inbox.ApplyOnceAsync("reply-1", "readmission",
            async (c, tx, ct) =>
            {
                await Clear(c, tx, "c-1", ct);
                throw new InvalidOperationException("The effect failed after writing.");
            }));
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM inbox"));
        Assert.Equal(0, await storage.ScalarAsync("SELECT count(*) FROM clearances"));

        Assert.True(await node.Inbox.ApplyOnceAsync("reply-1", "readmission", (c, tx, ct) => Clear(c, tx, "c-1", ct)));
        Assert.False(await node.Inbox.ApplyOnceAsync("reply-1", "readmission", (c, tx, ct) => Clear(c, tx, "c-2", ct)));
        // Another consumer of the same message keeps its own record.
        Assert.True(await node.Inbox.ApplyOnceAsync("reply-1", "statistics", (c, tx, ct) => Clear(c, tx, "c-3", ct)));
        Assert.Equal(2, await storage.ScalarAsync("SELECT count(*) FROM clearances"));
    }

    private static async Task Clear(DbConnection connection, DbTransaction tx, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO clearances (id, manifest) VALUES ('{id}', 'manifest-1')";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
