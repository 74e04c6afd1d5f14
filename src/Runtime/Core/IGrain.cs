namespace ReturnOps.Runtime;

/// <summary>Marker for every grain interface.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key, as in Orleans.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>A grain that receives durable reminder ticks.</summary>
public interface IRemindable : IGrain
{
    /// <summary>Called when the reminder <paramref name="reminderName"/> is due.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>What the runtime knows about one reminder tick.</summary>
/// <param name="FirstTickTime">When the reminder was first due after its registration.</param>
/// <param name="Period">Time between ticks; zero for a one-shot reminder.</param>
/// <param name="CurrentTickTime">When this tick was due.</param>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);
