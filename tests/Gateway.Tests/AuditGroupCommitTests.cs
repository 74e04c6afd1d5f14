using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Storage;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>
/// The audit chain appended in groups (issue 13): one multi-row INSERT per group, the same hash chain as entry by entry,
/// whatever the number of appenders and replicas, and nothing of a group that fails.
/// </summary>
public sealed class AuditGroupCommitTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    private static Task AppendAsync(AuditLog log, string resource) =>
        log.AppendAsync("coordinator-at", "coordinator", "AT", "booking.list", resource, "200", CancellationToken.None);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Appends_from_two_replicas_at_once_make_one_chain_that_verifies_with_every_entry_once(string provider)
    {
        var host = await StartAsync(provider);
        var log = host.Services.GetRequiredService<AuditLog>();
        // A second gateway on the same database: its own pool and its own group, serialised with ours by the head row.
        await using var replicaStorage = host.Storage.CreateProvider("second-gateway");
        var replica = new AuditLog(new GatewayDatabase(replicaStorage), TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => AppendAsync(i % 2 == 0 ? log : replica, $"GET /r/{i}"))));

        var verification = await log.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Valid, verification.Reason);
        Assert.Equal(400, verification.Rows);
        var entries = await log.ListAsync(newestFirst: false, 0, 500, null, null, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), entries.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(0, 400).Select(i => $"GET /r/{i}").Order(), entries.Select(e => e.Resource).Order());
    }

    /// <summary>
    /// Each gateway remembers the head its last group left and writes its next group in one round trip from there; after
    /// another replica has appended, that memory is stale: the group must write nothing from it and go the locked way.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_gateway_whose_remembered_head_is_stale_appends_after_the_other_replica_s_rows(string provider)
    {
        var host = await StartAsync(provider);
        var log = host.Services.GetRequiredService<AuditLog>();
        await using var replicaStorage = host.Storage.CreateProvider("second-gateway");
        var replica = new AuditLog(new GatewayDatabase(replicaStorage), TimeProvider.System);

        foreach (var (writer, resource) in new[] { (log, "a1"), (log, "a2"), (replica, "b1"), (log, "a3"), (replica, "b2"), (replica, "b3"), (log, "a4") })
        {
            await AppendAsync(writer, resource);
        }

        var entries = await log.ListAsync(newestFirst: false, 0, 50, null, null, CancellationToken.None);
        Assert.Equal(["a1", "a2", "b1", "a3", "b2", "b3", "a4"], entries.Select(e => e.Resource));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], entries.Select(e => e.Seq));
        var verification = await replica.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Valid, verification.Reason);
    }

    /// <summary>
    /// A trigger refuses one entry, so the group that holds it fails in the database: whoever was told its entry is written
    /// finds it in the log, whoever was told it failed does not, and the chain still verifies.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_group_appends_nothing_and_the_chain_still_verifies(string provider)
    {
        var host = await StartAsync(provider);
        var log = host.Services.GetRequiredService<AuditLog>();
        await host.Storage.ExecuteAsync(provider == "Postgres"
            ? """
              CREATE FUNCTION refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.resource = 'poison' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER refuse_entry BEFORE INSERT ON gateway_audit FOR EACH ROW EXECUTE FUNCTION refuse_entry();
              """
            : """
              CREATE TRIGGER refuse_entry BEFORE INSERT ON gateway_audit WHEN NEW.resource = 'poison'
              BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
              """);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 120).Select(i => i == 60 ? "poison" : $"GET /r/{i}").Select(r => Task.Run(async () =>
        {
            try
            {
                await AppendAsync(log, r);
                return (Resource: r, Written: true);
            }
            catch (StorageUnavailableException)
            {
                return (Resource: r, Written: false);
            }
        })));
        await AppendAsync(log, "GET /after");

        Assert.DoesNotContain(outcomes, o => o.Resource == "poison" && o.Written);
        var entries = await log.ListAsync(newestFirst: false, 0, 500, null, null, CancellationToken.None);
        Assert.Equal(outcomes.Where(o => o.Written).Select(o => o.Resource).Append("GET /after").Order(), entries.Select(e => e.Resource).Order());
        var verification = await log.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Valid, verification.Reason);
    }
}
