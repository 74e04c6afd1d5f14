using Microsoft.Extensions.DependencyInjection;
using Orleans.Reminders;

namespace ReturnOps.TestSupport;

/// <summary>
/// Reminders on the domain's fake clock, the one way the test hosts deliver deadlines (<see cref="TestCluster"/>, the
/// gateway tests' host). Orleans dates a reminder's first tick by its reminder service's clock (the keyed
/// <see cref="ReminderTimeProviderNames.Reminders"/>); given the domain clock's time, a row's start is the domain's due
/// time, and <see cref="FireDueAsync"/> ticks exactly the reminders whose time the fake clock has reached. A grain that
/// asks for its reminder late (or early) is then caught: its deadline does not fire when it should.
/// </summary>
public static class DomainReminders
{
    /// <summary>Dates the silo's reminders by <paramref name="domainClock"/>; Orleans' timers behind them stay on real time.</summary>
    public static IServiceCollection AddDomainReminderClock(this IServiceCollection services, TimeProvider domainClock) =>
        services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, new ReminderCalendar(domainClock));

    /// <summary>
    /// Delivers one tick of every reminder in <paramref name="table"/> whose start is at or before <paramref name="domainClock"/>'s
    /// now, in due order, one at a time, and returns how many it delivered. Call it after moving the clock: the ticks the
    /// skipped time would have brought arrive here, and none that it would not have.
    /// </summary>
    public static async Task<int> FireDueAsync(IReminderTable table, IGrainFactory grains, TimeProvider domainClock)
    {
        var now = domainClock.GetUtcNow().UtcDateTime;
        // begin == end is the whole hash ring: every silo's reminders.
        var registered = await table.ReadRows(0, 0);
        var due = registered.Reminders
            .Where(r => DateTime.SpecifyKind(r.StartAt, DateTimeKind.Utc) <= now)
            .OrderBy(r => r.StartAt)
            .ThenBy(r => r.GrainId.ToString(), StringComparer.Ordinal)
            .ThenBy(r => r.ReminderName, StringComparer.Ordinal)
            .ToList();
        foreach (var reminder in due)
        {
            await grains.GetGrain<IRemindable>(reminder.GrainId).ReceiveReminder(reminder.ReminderName, new TickStatus(reminder.StartAt, reminder.Period, now));
        }
        return due.Count;
    }

    /// <summary>
    /// The domain's date for the reminder service; timers and timestamps stay the system's (the base class's), so Orleans
    /// never runs its loops inline on the test's clock, and ticks on its own only after the domain time has come.
    /// </summary>
    private sealed class ReminderCalendar(TimeProvider domainClock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => domainClock.GetUtcNow();
    }
}
