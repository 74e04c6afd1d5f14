using Microsoft.Extensions.DependencyInjection;
using ReturnOps.Storage.Tests.Grains;
using ReturnOps.Storage.Tests.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests;

/// <summary>Orleans' ADO.NET reminder service on our reminder SQL, in PostgreSQL (clustered silo) and SQLite (embedded silo).</summary>
public sealed class ReminderTests(SharedPostgres postgres)
{
    private static readonly TimeSpan s_callLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_later = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_reminder_ticks_is_listed_and_unregistering_removes_its_row(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var silo = await StartAsync(database);
        var key = Guid.NewGuid().ToString("N");
        var grain = silo.Grains.GetGrain<IReminderProbeGrain>(key);

        await grain.Register("tick", TimeSpan.FromSeconds(1)).Within(s_callLimit, "the reminder to be registered");

        await Eventually.True(() => TickLog.Count(key, "tick") > 0, "the reminder's first tick, due after 1 s", TimeSpan.FromSeconds(60));
        Assert.Equal(["tick"], await grain.ReminderNames().Within(s_callLimit, "the grain's reminders"));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM OrleansRemindersV2"));
        // A remover holding an outdated etag (the reminder was registered again since) must not delete it.
        var table = silo.Services.GetRequiredService<IReminderTable>();
        Assert.False(await table.RemoveRow(grain.GetGrainId(), "tick", "12345").Within(s_callLimit, "a removal with a stale etag"));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM OrleansRemindersV2"));

        await grain.Unregister("tick").Within(s_callLimit, "the reminder to be unregistered");

        Assert.Empty(await grain.ReminderNames().Within(s_callLimit, "the grain's reminders"));
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM OrleansRemindersV2"));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Range_reads_return_the_rows_of_a_range_and_of_a_range_that_wraps_around(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, postgres);
        await using var silo = await StartAsync(database);
        var grains = Enumerable.Range(0, 3).Select(_ => silo.Grains.GetGrain<IReminderProbeGrain>(Guid.NewGuid().ToString("N"))).ToList();
        foreach (var grain in grains)
        {
            await grain.Register("later", s_later).Within(s_callLimit, "a reminder to be registered");
        }
        // The provider compares hashes as signed ints: order the grains that way, lowest first.
        var ids = grains.Select(g => g.GetGrainId()).OrderBy(id => (int)id.GetUniformHashCode()).ToList();
        var hashes = ids.Select(id => id.GetUniformHashCode()).ToList();
        Assert.Equal(3, hashes.Distinct().Count());
        var table = silo.Services.GetRequiredService<IReminderTable>();

        async Task<GrainId[]> Read(uint begin, uint end) =>
            [.. (await table.ReadRows(begin, end).Within(s_callLimit, $"the rows of range ({begin}, {end}]")).Reminders
                .Select(r => r.GrainId).OrderBy(id => (int)id.GetUniformHashCode())];

        Assert.Equal(ids, await Read(0, 0));
        Assert.Equal(ids, await Read(hashes[1], hashes[1]));
        Assert.Equal([ids[1], ids[2]], await Read(hashes[0], hashes[2]));
        Assert.Equal([ids[0], ids[2]], await Read(hashes[1], hashes[0]));
        var one = Assert.Single((await table.ReadRows(ids[0]).Within(s_callLimit, "the rows of one grain")).Reminders);
        Assert.Equal(("later", TimeSpan.FromMinutes(1)), (one.ReminderName, one.Period));
    }

    [Fact]
    public async Task A_reminder_row_survives_a_silo_restart_on_the_same_sqlite_file()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite", postgres);
        var key = Guid.NewGuid().ToString("N");
        string? etag;
        await using (var first = await SiloHost.StartEmbeddedAsync(database, "embedded-1"))
        {
            var grain = first.Grains.GetGrain<IReminderProbeGrain>(key);
            await grain.Register("kept", s_later).Within(s_callLimit, "the reminder to be registered");
            etag = (await first.Services.GetRequiredService<IReminderTable>().ReadRow(grain.GetGrainId(), "kept"))?.ETag;
        }

        await using var second = await SiloHost.StartEmbeddedAsync(database, "embedded-2");

        var again = second.Grains.GetGrain<IReminderProbeGrain>(key);
        Assert.Equal(["kept"], await again.ReminderNames().Within(s_callLimit, "the grain's reminders after the restart"));
        var row = await second.Services.GetRequiredService<IReminderTable>().ReadRow(again.GetGrainId(), "kept");
        Assert.NotNull(etag);
        Assert.Equal(etag, row?.ETag);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM OrleansRemindersV2"));
    }

    private static Task<SiloHost> StartAsync(TestDatabase database) => database.Provider == "Postgres"
        ? SiloHost.StartClusterMemberAsync(database, "reminders-" + Guid.NewGuid().ToString("N")[..8], "silo-reminders", reminders: true)
        : SiloHost.StartEmbeddedAsync(database, "embedded");
}
