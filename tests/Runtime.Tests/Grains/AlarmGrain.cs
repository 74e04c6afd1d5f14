namespace ReturnOps.Runtime.Tests.Grains;

public sealed class AlarmState
{
    public List<DateTimeOffset> Ticks { get; set; } = [];
}

/// <summary>A remindable grain that stores every tick it receives.</summary>
public interface IAlarmGrain : IGrainWithStringKey
{
    Task Set(TimeSpan dueTime, TimeSpan period);

    Task Cancel();

    [ReadOnly]
    Task<List<DateTimeOffset>> Ticks();
}

public sealed class AlarmGrain(IPersistentState<AlarmState> state) : Grain, IAlarmGrain, IRemindable
{
    public const string ReminderName = "alarm";

    public Task Set(TimeSpan dueTime, TimeSpan period) => RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public Task Cancel() => UnregisterReminder(ReminderName);

    public Task<List<DateTimeOffset>> Ticks() => Task.FromResult(state.State.Ticks.ToList());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks.Add(status.CurrentTickTime);
        await state.WriteStateAsync();
    }
}
