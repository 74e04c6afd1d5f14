using ReturnOps.Storage;

namespace ReturnOps.Grains.Hosting;

/// <summary>
/// Base of the domain's grains. A turn stages outbox messages and read-model rows here; they are written in the same
/// transaction as the grain's next state write (<see cref="GrainStateStorage"/>), or at the end of the turn if it writes
/// no state (<see cref="TurnFilter"/>), and are discarded if the turn fails.
/// </summary>
public abstract class DomainGrain : Grain
{
    /// <summary>
    /// How often a deadline reminder ticks again after it first fell due, until the grain acts on it and removes it.
    /// Orleans' minimum period; a tick is only a prompt to look at the domain's clock.
    /// </summary>
    internal static readonly TimeSpan DeadlineRetry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The first tick of a deadline already passed. Not zero: Orleans moves a first tick that is in the past by the time its
    /// reminder service loads the row to the next period, a minute later.
    /// </summary>
    internal static readonly TimeSpan SoonestTick = TimeSpan.FromSeconds(2);

    private StagedEffects? _staged;

    // Resolved once per activation, not per staged message.
    private TurnEffects Effects => (_staged ??= ServiceProvider.GetRequiredService<StagedEffects>()).For(this.GetGrainId());

    /// <summary>The grain's key.</summary>
    protected string GetPrimaryKeyString() => GrainExtensions.GetPrimaryKeyString(this);

    /// <summary>Stages a message, written with this turn's state (or at turn end) and delivered only after commit.</summary>
    protected void EnqueueMessage(OutboxMessage message) => Effects.Add(message);

    /// <summary>Stages a read-model write, committed in the same transaction as this turn's state.</summary>
    protected void WriteReadModel(ReadModelWrite write) => Effects.Add(write);

    /// <summary>
    /// Asks for a durable reminder <paramref name="name"/> at <paramref name="dueIn"/> from now (at the soonest in two seconds), then
    /// every <see cref="DeadlineRetry"/> until <see cref="ForgetReminder"/>. The grain decides on each tick against the
    /// domain's clock whether the deadline has passed, so an early, late or repeated tick is harmless.
    /// </summary>
    protected Task RemindIn(string name, TimeSpan dueIn) =>
        this.RegisterOrUpdateReminder(name, dueIn > SoonestTick ? dueIn : SoonestTick, DeadlineRetry);

    /// <summary>Removes a reminder; nothing happens if there is none.</summary>
    protected async Task ForgetReminder(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
