using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// The idempotency store with its leases and answers group-committed (issue 13): many requests at once, on one key and on
/// many, each learn exactly what the primary key decided, and a group that fails writes nothing.
/// </summary>
public sealed class IdempotencyGroupCommitTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private const string Caller = "coordinator|AT|coordinator-at";

    private static StoredResponse Created(string id) => new(201, "application/json", "/api/v1/operations/" + id, "\"e1\"", $$"""{"id":"{{id}}"}""");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Leases_of_one_key_sent_at_once_have_exactly_one_owner_and_the_others_learn_the_answer_once_stored(string provider)
    {
        var host = await StartAsync(provider);
        var store = host.Services.GetRequiredService<IdempotencyStore>();

        var states = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(() => store.BeginAsync(Caller, "one-key", "hash-1", CancellationToken.None))));

        Assert.Single(states, s => s is KeyState.Owned);
        Assert.All(states.Where(s => s is not KeyState.Owned), s => Assert.Equal("hash-1", Assert.IsType<KeyState.InProgress>(s).RequestHash));
        await store.CompleteAsync(Caller, "one-key", Created("op-1"), CancellationToken.None);
        var replays = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(() => store.BeginAsync(Caller, "one-key", "hash-1", CancellationToken.None))));
        Assert.All(replays, s => Assert.Equal(Created("op-1"), Assert.IsType<KeyState.Completed>(s).Response));
        Assert.Equal(1, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_idempotency"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Leases_of_many_keys_at_once_each_have_one_owner_and_every_answer_is_stored_for_its_own_key(string provider)
    {
        var host = await StartAsync(provider);
        var store = host.Services.GetRequiredService<IdempotencyStore>();
        var keys = Enumerable.Range(0, 80).Select(i => $"key-{i}").ToList();

        // Each key three times, interleaved, so that groups hold several keys and the same key more than once.
        var leases = await Task.WhenAll(keys.Concat(keys).Concat(keys).Select(k =>
            Task.Run(async () => (Key: k, State: await store.BeginAsync(Caller, k, "hash-" + k, CancellationToken.None)))));

        Assert.All(leases.GroupBy(l => l.Key), g =>
        {
            Assert.Single(g, l => l.State is KeyState.Owned);
            Assert.All(g.Where(l => l.State is not KeyState.Owned), l => Assert.Equal("hash-" + g.Key, Assert.IsType<KeyState.InProgress>(l.State).RequestHash));
        });
        await Task.WhenAll(keys.Select(k => Task.Run(() => store.CompleteAsync(Caller, k, Created(k), CancellationToken.None))));
        var replays = await Task.WhenAll(keys.Select(k => Task.Run(async () => (Key: k, State: await store.BeginAsync(Caller, k, "hash-" + k, CancellationToken.None)))));
        Assert.All(replays, r => Assert.Equal(Created(r.Key), Assert.IsType<KeyState.Completed>(r.State).Response));
        Assert.Equal(80, await host.Storage.ScalarAsync("SELECT COUNT(*) FROM gateway_idempotency WHERE state = 'done'"));
    }

    /// <summary>
    /// A trigger refuses one key, so every group that holds it fails in the database. Whoever was told the lease failed has
    /// no row, whoever was told it owns its key has one: no half-written group, no acknowledged lease lost.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_group_writes_nothing_and_every_lease_in_it_fails(string provider)
    {
        var host = await StartAsync(provider);
        var store = host.Services.GetRequiredService<IdempotencyStore>();
        await RefuseKeyAsync(host.Storage, "poison");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => i == 30 ? "poison" : $"key-{i}").Select(k => Task.Run(async () =>
        {
            try
            {
                return (Key: k, Owned: (await store.BeginAsync(Caller, k, "h", CancellationToken.None)) is KeyState.Owned);
            }
            catch (StorageUnavailableException)
            {
                return (Key: k, Owned: false);
            }
        })));

        Assert.DoesNotContain(outcomes, o => o.Key == "poison" && o.Owned);
        var stored = await StoredKeysAsync(host.Storage);
        Assert.Equal(outcomes.Where(o => o.Owned).Select(o => o.Key).Order(), stored);
        // The key's failure is not sticky: a group without it commits.
        Assert.IsType<KeyState.Owned>(await store.BeginAsync(Caller, "after", "h", CancellationToken.None));
    }

    /// <summary>The unit a group is written in: when its last statement fails, its first has not written either.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Statements_written_together_are_all_or_nothing(string provider)
    {
        var host = await StartAsync(provider);
        await RefuseKeyAsync(host.Storage, "poison");
        var database = host.Services.GetRequiredService<GatewayDatabase>();
        static Statement Insert(string key) => new(
            "INSERT INTO gateway_idempotency (caller, idem_key, request_hash, state, created_ms, claimed_ms) VALUES (@c, @k, 'h', 'pending', 1, 1)",
            ("@c", Caller), ("@k", key));

        await Assert.ThrowsAsync<StorageUnavailableException>(() => database.RunAsync(c =>
            StatementBatch.WriteAsync(c, null, [Insert("first"), Insert("poison")], CancellationToken.None), CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => database.RunAsync(c =>
            StatementBatch.QueryAsync(c, null, [new Statement(Insert("second").Sql + " RETURNING idem_key", Insert("second").Parameters),
                new Statement(Insert("poison").Sql + " RETURNING idem_key", Insert("poison").Parameters)], CancellationToken.None), CancellationToken.None));

        Assert.Empty(await StoredKeysAsync(host.Storage));
    }

    private static async Task<List<string>> StoredKeysAsync(TestStorage storage)
    {
        await using var provider = storage.CreateProvider("test-reader");
        await using var connection = await provider.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT idem_key FROM gateway_idempotency ORDER BY idem_key";
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }
        return [.. keys.Order()];
    }

    /// <summary>A database-side failure on one key, as a full disk or a lost connection would fail a statement.</summary>
    internal static Task RefuseKeyAsync(TestStorage storage, string key) => storage.ExecuteAsync(storage.Provider == "Postgres"
        ? $"""
          CREATE FUNCTION refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.idem_key = '{key}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
          CREATE TRIGGER refuse_key BEFORE INSERT ON gateway_idempotency FOR EACH ROW EXECUTE FUNCTION refuse_key();
          """
        : $"""
          CREATE TRIGGER refuse_key BEFORE INSERT ON gateway_idempotency WHEN NEW.idem_key = '{key}'
          BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
          """);
}
