using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using ReturnOps.Storage.Tests.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests;

/// <summary>
/// Orleans' ADO.NET membership table driven directly, so that the answers a running cluster rarely gives (a lost
/// race, a duplicate, a cleanup) are checked too: each is our SQL meeting the provider's expectations.
/// </summary>
public sealed class MembershipTableContractTests(SharedPostgres postgres)
{
    [Fact]
    public async Task Writes_succeed_only_against_the_current_version_and_a_refused_write_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres", postgres);
        var clusterId = "contract-" + Guid.NewGuid().ToString("N")[..8];
        var table = await OpenAsync(database, clusterId);
        // A second silo starting finds the version row there already.
        await OpenAsync(database, clusterId);

        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var now = Milliseconds(TimeProvider.System.GetUtcNow().UtcDateTime);
        var first = Entry(11111, now);
        Assert.True(await table.InsertRowAsync(first, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(first, (await table.ReadAllAsync()).Version.Next()));
        Assert.False(await table.InsertRowAsync(Entry(22222, now), empty.Version.Next()));

        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        // 10.4.2 hands out the table's version as every row's etag and refuses an update that presents another one.
        var (stored, rowEtag) = Assert.Single(afterInsert.Members);
        Assert.Equal(first.SiloAddress, stored.SiloAddress);
        Assert.Equal((SiloStatus.Joining, "silo-11111", "host-a", 30000, now, now),
            (stored.Status, stored.SiloName, stored.HostName, stored.ProxyPort, stored.StartTime, stored.IAmAliveTime));

        var suspector = SiloAddress.New(IPAddress.Loopback, 33333, 7);
        first.Status = SiloStatus.Active;
        first.SuspectTimes = [Tuple.Create(suspector, now)];
        Assert.True(await table.UpdateRowAsync(first, rowEtag, afterInsert.Version.Next()));
        Assert.False(await table.UpdateRowAsync(first, rowEtag, afterInsert.Version.Next()));
        var current = await table.ReadAllAsync();
        Assert.False(await table.UpdateRowAsync(Entry(22222, now), current.Members[0].Item2, current.Version.Next()));

        var alive = now.AddSeconds(5);
        first.IAmAliveTime = alive;
        await table.UpdateIAmAliveAsync(first);

        var row = await table.ReadRowAsync(first.SiloAddress);
        Assert.Equal(2, row.Version.Version);
        var updated = Assert.Single(row.Members).Item1;
        Assert.Equal(SiloStatus.Active, updated.Status);
        Assert.Equal(alive, updated.IAmAliveTime);
        Assert.Equal(suspector, Assert.Single(updated.SuspectTimes!).Item1);

        var missing = await table.ReadRowAsync(Entry(22222, now).SiloAddress);
        Assert.Empty(missing.Members);
        Assert.Equal(2, missing.Version.Version);
    }

    [Fact]
    public async Task Cleanup_removes_old_rows_of_silos_that_are_not_active_and_deleting_a_cluster_removes_its_version()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres", postgres);
        var clusterId = "contract-" + Guid.NewGuid().ToString("N")[..8];
        var table = await OpenAsync(database, clusterId);
        var now = Milliseconds(TimeProvider.System.GetUtcNow().UtcDateTime);
        var active = Entry(11111, now);
        active.Status = SiloStatus.Active;
        var dead = Entry(22222, now);
        dead.Status = SiloStatus.Dead;
        Assert.True(await table.InsertRowAsync(active, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(dead, (await table.ReadAllAsync()).Version.Next()));

        await table.CleanupDefunctSiloEntriesAsync(now.AddHours(1));

        Assert.Equal(active.SiloAddress, Assert.Single((await table.ReadAllAsync()).Members).Item1.SiloAddress);

        await table.DeleteMembershipTableEntriesAsync(clusterId);

        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = '{clusterId}'"));
    }

    private static async Task<AdoNetClusteringTable> OpenAsync(TestDatabase database, string clusterId)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = SiloHost.ServiceId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = database.Invariant, ConnectionString = database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int port, DateTime now) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 1),
        SiloName = $"silo-{port}",
        HostName = "host-a",
        Status = SiloStatus.Joining,
        ProxyPort = 30000,
        StartTime = now,
        IAmAliveTime = now,
    };

    // PostgreSQL keeps microseconds, .NET ticks are finer: compare what both represent.
    private static DateTime Milliseconds(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
