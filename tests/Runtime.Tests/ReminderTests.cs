using ReturnOps.Runtime.Tests.Grains;
using ReturnOps.TestSupport;

namespace ReturnOps.Runtime.Tests;

/// <summary>Durable reminders: due under a fake clock, across restarts, one firing per tick across silos.</summary>
public sealed class ReminderTests(SharedPostgres postgres) : RuntimeTestBase(postgres)
{
    private static void PollOnlyWhenAsked(GrainRuntimeOptions options) => options.ReminderPollInterval = Timeout.InfiniteTimeSpan;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_one_shot_reminder_fires_once_when_due_and_not_before(string provider)
    {
        var (_, cluster) = await StartAsync(provider, options: PollOnlyWhenAsked);
        var alarm = cluster[0].GetGrain<IAlarmGrain>("a1");
        var due = cluster.Clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        await alarm.Set(TimeSpan.FromMinutes(10), TimeSpan.Zero);

        cluster.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await cluster[0].Reminders.PollOnceAsync());

        cluster.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await cluster[0].Reminders.PollOnceAsync());
        Assert.Equal(0, await cluster[0].Reminders.PollOnceAsync());
        Assert.Equal([due], await alarm.Ticks());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_periodic_reminder_fires_each_period_and_stops_when_unregistered(string provider)
    {
        var (_, cluster) = await StartAsync(provider, options: PollOnlyWhenAsked);
        var alarm = cluster[0].GetGrain<IAlarmGrain>("a2");
        await alarm.Set(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        for (var i = 0; i < 3; i++)
        {
            cluster.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(1, await cluster[0].Reminders.PollOnceAsync());
        }
        await alarm.Cancel();
        cluster.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, await cluster[0].Reminders.PollOnceAsync());
        Assert.Equal(3, (await alarm.Ticks()).Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_reminder_survives_a_restart_of_the_runtime(string provider)
    {
        var storage = await StorageAsync(provider);
        var clock = new FakeClock();
        await using (var before = await ClusterAsync(storage, options: PollOnlyWhenAsked, clock: clock))
        {
            await before[0].GetGrain<IAlarmGrain>("a3").Set(TimeSpan.FromHours(1), TimeSpan.Zero);
        }

        var after = await ClusterAsync(storage, options: PollOnlyWhenAsked, clock: clock);
        clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1, await after[0].Reminders.PollOnceAsync());
        Assert.Single(await after[0].GetGrain<IAlarmGrain>("a3").Ticks());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_silos_polling_at_once_fire_every_tick_exactly_once(string provider)
    {
        var (_, cluster) = await StartAsync(provider, silos: 2, options: PollOnlyWhenAsked);
        var alarms = Enumerable.Range(0, 40).Select(i => cluster[i % 2].GetGrain<IAlarmGrain>($"many-{i}")).ToList();
        await Task.WhenAll(alarms.Select(a => a.Set(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1))));

        for (var tick = 1; tick <= 3; tick++)
        {
            cluster.Clock.Advance(TimeSpan.FromMinutes(1));
            var fired = await Task.WhenAll(cluster[0].Reminders.PollOnceAsync(), cluster[1].Reminders.PollOnceAsync());
            Assert.Equal(40, fired.Sum());
        }

        // A read on one silo may be served by an activation that has not yet heard of the other
        // silo's last write (reads are not linearizable across replicas; writes are checked), so
        // wait for the change notifications before reading.
        foreach (var alarm in alarms)
        {
            await Eventually.True(async () => (await alarm.Ticks()).Count == 3, $"three ticks on {alarm}");
            Assert.Equal(3, (await alarm.Ticks()).Distinct().Count());
        }
    }

    [Fact]
    public async Task The_runtime_polls_for_due_reminders_on_its_own_as_time_passes()
    {
        var (_, cluster) = await StartAsync("Sqlite", options: o => o.ReminderPollInterval = TimeSpan.FromSeconds(5));
        var alarm = cluster[0].GetGrain<IAlarmGrain>("background");
        await alarm.Set(TimeSpan.FromSeconds(30), TimeSpan.Zero);

        cluster.Clock.Advance(TimeSpan.FromSeconds(35));

        await Eventually.True(async () => (await alarm.Ticks()).Count == 1, "the background poll to fire the reminder");
    }
}
