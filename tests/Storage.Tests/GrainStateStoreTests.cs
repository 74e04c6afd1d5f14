using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using ReturnOps.Storage.Postgres;
using ReturnOps.Storage.Sqlite;
using ReturnOps.Storage.Tests.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests;

/// <summary>
/// The one grain-state store on both databases, below the grains: a write stores its state, outbox rows and read-model rows
/// (upserts and deletes, null values too) together or, when its version check fails, none of them; a clear leaves a
/// tombstone with a new version; effects go on their own; and every committed write is announced on the change feed.
/// </summary>
public sealed class GrainStateStoreTests(SharedPostgres postgres)
{
    private static readonly GrainKey Grain = new("store-probe", "g-1");

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_write_stores_its_state_and_effects_together_and_a_stale_write_stores_none_of_them(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var storage = Open(database);
        await using (var create = storage.DataSource.CreateCommand("CREATE TABLE probe_rows (id text PRIMARY KEY, n bigint)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var store = storage.GrainStorage;
        Assert.Equal(new StoredState(null, 0), await store.ReadAsync(Grain, CancellationToken.None));

        Assert.Equal(1L, await store.WriteAsync(Grain, 0, "{\"n\":1}", Effects("m-1", Upsert("a", 1), Upsert("b", 2)), CancellationToken.None));
        Assert.Equal(new StoredState("{\"n\":1}", 1), await store.ReadAsync(Grain, CancellationToken.None));
        Assert.Equal(1L, await database.ScalarAsync("SELECT count(*) FROM outbox WHERE message_id = 'm-1'"));
        Assert.Equal(2L, await database.ScalarAsync("SELECT count(*) FROM probe_rows"));

        // A second first write, and a write over a version never stored: refused, with none of their effects.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            store.WriteAsync(Grain, 0, "{\"n\":-1}", Effects("m-stale-1", new ReadModelDelete("probe_rows", "a")), CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            store.WriteAsync(Grain, 5, "{\"n\":-5}", Effects("m-stale-5", Upsert("b", 50)), CancellationToken.None));
        Assert.Equal(new StoredState("{\"n\":1}", 1), await store.ReadAsync(Grain, CancellationToken.None));
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM outbox WHERE message_id LIKE 'm-stale-%'"));
        Assert.Equal(2L, await database.ScalarAsync("SELECT count(*) FROM probe_rows WHERE (id = 'a' AND n = 1) OR (id = 'b' AND n = 2)"));

        // The next write deletes one row and changes the other; a null goes in as SQL NULL.
        Assert.Equal(2L, await store.WriteAsync(Grain, 1, "{\"n\":2}", Effects("m-2", new ReadModelDelete("probe_rows", "a"), Upsert("b", null)),
            CancellationToken.None));
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM probe_rows WHERE id = 'a'"));
        Assert.Equal(1L, await database.ScalarAsync("SELECT count(*) FROM probe_rows WHERE id = 'b' AND n IS NULL"));

        // A clear keeps a tombstone with a new version; effects without a state change go on their own.
        Assert.Equal(3L, await store.WriteAsync(Grain, 2, null, TurnEffects.None, CancellationToken.None));
        Assert.Equal(new StoredState(null, 3), await store.ReadAsync(Grain, CancellationToken.None));
        await store.WriteEffectsAsync(Effects("m-alone", Upsert("c", 3)), CancellationToken.None);
        Assert.Equal(3L, await database.ScalarAsync("SELECT count(*) FROM outbox"));
        Assert.Equal(3L, await database.ScalarAsync("SELECT n FROM probe_rows WHERE id = 'c'"));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_committed_write_is_announced_with_its_version_and_origin(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var storage = Open(database);
        using var stop = new CancellationTokenSource();
        var heard = new TaskCompletionSource<StateChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        await storage.ChangeFeed.SubscribeAsync(change => heard.TrySetResult(change), stop.Token);

        await storage.GrainStorage.WriteAsync(Grain, 0, "{}", TurnEffects.None, CancellationToken.None);

        Assert.Equal(new StateChange(Grain, 1, "store-tests"), await heard.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await stop.CancelAsync();
    }

    /// <summary>
    /// A batch's effects go as multi-row statements (issue 22): 250 messages in two INSERTs (200 rows a statement), the rows of
    /// a table and column set in one upsert. Every row lands with its own values, NULLs too, on both databases.
    /// </summary>
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Many_effects_go_in_few_statements_and_each_row_keeps_its_values(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var storage = Open(database);
        await using (var create = storage.DataSource.CreateCommand("CREATE TABLE probe_rows (id text PRIMARY KEY, n bigint)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var effects = new TurnEffects();
        for (var i = 0; i < 250; i++)
        {
            effects.Add(new OutboxMessage($"m-{i}", "grain:store-probe", "lane-" + (i % 3), "probe", $"{{\"i\":{i}}}", DateTimeOffset.FromUnixTimeMilliseconds(i)));
        }
        for (var i = 0; i < 30; i++)
        {
            effects.Add(Upsert("r-" + i, i % 5 == 0 ? null : i));
        }

        Assert.Equal(3, GrainStateCommands.Effects(effects).Count());
        await storage.GrainStorage.WriteAsync(Grain, 0, "{}", effects, CancellationToken.None);

        Assert.Equal(250L, await database.ScalarAsync("SELECT count(*) FROM outbox WHERE occurred_ms = next_attempt_ms"));
        Assert.Equal(249L * 250 / 2, await database.ScalarAsync("SELECT sum(occurred_ms) FROM outbox"));
        Assert.Equal(1L, await database.ScalarAsync("SELECT count(*) FROM outbox WHERE message_id = 'm-249' AND lane = 'lane-0' AND payload = '{\"i\":249}'"));
        Assert.Equal(6L, await database.ScalarAsync("SELECT count(*) FROM probe_rows WHERE n IS NULL"));
        Assert.Equal(29L, await database.ScalarAsync("SELECT n FROM probe_rows WHERE id = 'r-29'"));
    }

    /// <summary>
    /// A row written twice in one batch keeps the order of its writes, one statement each; otherwise a table's deletes go first
    /// and its upserts of one column set together (distinct ids never meet).
    /// </summary>
    [Fact]
    public void Writes_whose_order_matters_go_one_by_one_in_their_order()
    {
        var twice = new TurnEffects();
        twice.Add(Upsert("a", 1));
        twice.Add(Upsert("b", 2));
        twice.Add(Upsert("a", 3));
        var mixed = new TurnEffects();
        mixed.Add(new ReadModelDelete("probe_rows", "a"));
        mixed.Add(Upsert("b", 2));
        var apart = new TurnEffects();
        apart.Add(Upsert("a", 1));
        apart.Add(new ReadModelDelete("other_rows", "a"));
        apart.Add(Upsert("b", 2));

        Assert.Equal(["@c0_0", "@c0_0", "@c0_0"], GrainStateCommands.Effects(twice).Select(s => s.Parameters[1].Name));
        Assert.Equal([3L], GrainStateCommands.Effects(twice).Last().Parameters.Skip(1).Select(p => p.Value));
        Assert.Equal(2, GrainStateCommands.Effects(mixed).Count());
        Assert.StartsWith("DELETE", GrainStateCommands.Effects(mixed).First().Sql, StringComparison.Ordinal);
        Assert.Equal(2, GrainStateCommands.Effects(apart).Count());
    }

    private static IStorageProvider Open(TestDatabase database) => database.Provider == "Postgres"
        ? new PostgresStorageProvider(database.ConnectionString, "store-tests", NullLoggerFactory.Instance)
        : new SqliteStorageProvider(database.ConnectionString, "store-tests");

    private static ReadModelUpsert Upsert(string id, long? n) => new("probe_rows", id, new Dictionary<string, object?> { ["n"] = n });

    private static TurnEffects Effects(string messageId, params ReadModelWrite[] rows)
    {
        var effects = new TurnEffects();
        effects.Add(new OutboxMessage(messageId, "grain:store-probe", "lane", "probe", "{}", DateTimeOffset.UnixEpoch));
        foreach (var row in rows)
        {
            effects.Add(row);
        }
        return effects;
    }
}
