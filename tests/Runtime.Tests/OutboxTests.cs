using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>Messages and read-model rows are written in the same transaction as the state, or not at all.</summary>
public sealed class OutboxTests(SharedPostgres postgres) : RuntimeTestBase(postgres)
{
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_turn_that_commits_leaves_exactly_its_outbox_and_read_model_rows(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var ledger = cluster[0].GetGrain<ILedgerGrain>("l1");

        await ledger.Record(["m1", "m2"]);
        await ledger.Record(["m3"]);

        Assert.Equal(3, await storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE lane = 'l1'"));
        Assert.Equal(2, await storage.ScalarAsync("SELECT entries FROM ledger_view WHERE id = 'l1'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_turn_whose_write_conflicts_leaves_no_outbox_row_of_the_failed_attempt(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var ledger = cluster[0].GetGrain<ILedgerGrain>("l2");
        await ledger.Record(["first"]);
        await storage.ExecuteAsync("UPDATE grain_state SET version = version + 1 WHERE grain_key = 'l2'");

        // The first attempt conflicts and rolls back with its messages; the replay commits them once.
        await ledger.Record(["second-a", "second-b"]);

        Assert.Equal(3, await storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE lane = 'l2'"));
        Assert.Equal(1, await storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE message_id = 'second-a'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_turn_whose_write_fails_in_the_database_leaves_neither_state_nor_outbox_rows(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var ledger = cluster[0].GetGrain<ILedgerGrain>("l3");
        await ledger.Record(["taken"]);
        var versionBefore = await storage.ScalarAsync("SELECT version FROM grain_state WHERE grain_key = 'l3'");

        // A duplicate message id violates the outbox's unique key: a real database error inside the transaction.
        await Assert.ThrowsAnyAsync<Exception>(() => ledger.Record(["fresh", "taken"]));

        Assert.Equal(versionBefore, await storage.ScalarAsync("SELECT version FROM grain_state WHERE grain_key = 'l3'"));
        Assert.Equal(0, await storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE message_id = 'fresh'"));
        Assert.Equal(1, await storage.ScalarAsync("SELECT entries FROM ledger_view WHERE id = 'l3'"));
        // The activation was dropped, so memory did not keep the failed change.
        Assert.Equal(1, await ledger.Entries());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Messages_staged_without_a_state_write_are_committed_when_the_turn_ends(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        await cluster[0].GetGrain<ILedgerGrain>("l4").Notify("n1");

        Assert.Equal(1, await storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE message_id = 'n1'"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Messages_of_a_failed_turn_are_discarded(string provider)
    {
        var (storage, cluster) = await StartAsync(provider);
        var ledger = cluster[0].GetGrain<ILedgerGrain>("l5");

        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.RecordThenFail("lost"));
        await ledger.Notify("kept");

        Assert.Equal(0, await storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE message_id = 'lost'"));
        Assert.Equal(1, await storage.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE message_id = 'kept'"));
    }
}
