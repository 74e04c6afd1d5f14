namespace ReturnOps.Storage.Tests.Grains;

[Alias("StorageTests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(string reminderName, TimeSpan dueTime);

    [Alias("Unregister")]
    Task Unregister(string reminderName);

    [Alias("ReminderNames")]
    Task<string[]> ReminderNames();
}

/// <summary>Registers reminders through Orleans' reminder service and records their ticks in <see cref="TickLog"/>.</summary>
public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    // Orleans' minimum period (ReminderOptions.MinimumReminderPeriod); the tests wait for the first tick only.
    private static readonly TimeSpan s_period = TimeSpan.FromMinutes(1);

    public Task Register(string reminderName, TimeSpan dueTime) => this.RegisterOrUpdateReminder(reminderName, dueTime, s_period);

    public async Task Unregister(string reminderName)
    {
        var reminder = await this.GetReminder(reminderName) ?? throw new InvalidOperationException($"No reminder '{reminderName}' to unregister.");
        await this.UnregisterReminder(reminder);
    }

    public async Task<string[]> ReminderNames() => [.. (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal)];

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        TickLog.Record(this.GetPrimaryKeyString(), reminderName);
        return Task.CompletedTask;
    }
}
