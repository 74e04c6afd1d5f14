using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;
using ReturnOps.Storage.Postgres;
using ReturnOps.Storage.Tests.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests;

/// <summary>
/// Issue 13: grain writes that arrive together share one transaction (group commit), and each keeps its own outcome:
/// a stale version or a broken effect fails that write alone, with none of its effects, and the others commit.
/// </summary>
public sealed class StateWriteGroupTests(SharedPostgres postgres)
{
    private const int Grains = 100;

    [Fact]
    public async Task Writes_arriving_together_share_a_commit_and_each_keeps_its_own_outcome()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres", postgres);
        await using var storage = new PostgresStorageProvider(database.ConnectionString, "group-tests", NullLoggerFactory.Instance);
        var store = storage.GrainStorage;

        // 100 grains' first writes at once, each with a message.
        var first = await Task.WhenAll(Enumerable.Range(0, Grains).Select(i => store.WriteAsync(Key(i), 0, $"{{\"n\":{i}}}", Effects($"m-{i}-1"), CancellationToken.None)));
        Assert.All(first, version => Assert.Equal(1L, version));
        Assert.Equal(Grains, await database.ScalarAsync("SELECT count(*) FROM outbox"));
        // They went in a few transactions, not a hundred: rows written by one transaction share its id.
        Assert.True(await database.ScalarAsync("SELECT count(DISTINCT xmin::text) FROM grain_state") < 10, "the writes were grouped");

        // Again at once: grain 5 writes over a version that is not stored, grain 9's message reuses grain 8's id.
        var second = Enumerable.Range(0, Grains).Select(i => store.WriteAsync(Key(i), i == 5 ? 7 : 1, $"{{\"n\":{i},\"again\":true}}",
            Effects(i == 9 ? "m-8-1" : $"m-{i}-2"), CancellationToken.None)).ToArray();
        await Assert.ThrowsAsync<InconsistentStateException>(() => second[5]);
        var broken = await Assert.ThrowsAsync<PostgresException>(() => second[9]);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, broken.SqlState);
        for (var i = 0; i < Grains; i++)
        {
            if (i is not (5 or 9))
            {
                Assert.Equal(2L, await second[i]);
            }
        }

        // The two failed writes left nothing; every other write is whole, state and message.
        Assert.Equal(1L, await database.ScalarAsync("SELECT version FROM grain_state WHERE grain_key = 'g-5'"));
        Assert.Equal(1L, await database.ScalarAsync("SELECT version FROM grain_state WHERE grain_key = 'g-9'"));
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM outbox WHERE message_id IN ('m-5-2', 'm-9-2')"));
        Assert.Equal(Grains - 2, await database.ScalarAsync("SELECT count(*) FROM grain_state WHERE version = 2 AND payload LIKE '%again%'"));
        Assert.Equal(2L * Grains - 2, await database.ScalarAsync("SELECT count(*) FROM outbox"));
    }

    private static GrainKey Key(int i) => new("group-probe", "g-" + i);

    private static TurnEffects Effects(string messageId)
    {
        var effects = new TurnEffects();
        effects.Add(new OutboxMessage(messageId, "grain:group-probe", "lane", "probe", "{}", DateTimeOffset.UnixEpoch));
        return effects;
    }
}
