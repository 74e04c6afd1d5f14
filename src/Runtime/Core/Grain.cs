using ReturnOps.Runtime.Engine;

namespace ReturnOps.Runtime;

/// <summary>
/// Base class of every grain, in Orleans' shape. An instance lives in one activation and runs one
/// turn at a time; everything it changes goes to storage through its <see cref="IPersistentState{TState}"/>.
/// </summary>
public abstract class Grain
{
    private GrainActivation? _activation;

    internal GrainActivation Activation => _activation ?? throw new InvalidOperationException("The grain is not activated by the runtime.");

    /// <summary>Gives the grain to its activation; called once, right after construction.</summary>
    internal void Attach(GrainActivation activation) => _activation = activation;

    /// <summary>The grain's key.</summary>
    public string GetPrimaryKeyString() => Activation.Id.Key;

    /// <summary>The grain's identity: stored type name and key.</summary>
    protected GrainId GrainId => Activation.Id;

    /// <summary>References to other grains; call downwards only (see docs/architecture.md).</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime;

    /// <summary>Called after the state is read, before the first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called before the activation is dropped (idle, shed, stale or shut down).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the runtime to drop this activation once the current turn ends.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>Stages a message, written with this turn's state (or at turn end) and sent only after commit.</summary>
    protected void EnqueueMessage(OutboxMessage message) => Activation.Effects.Add(message);

    /// <summary>Stages a read-model write, committed in the same transaction as this turn's state.</summary>
    protected void WriteReadModel(ReadModelWrite write) => Activation.Effects.Add(write);

    /// <summary>
    /// Creates or moves a durable reminder: first due after <paramref name="dueTime"/>, then every
    /// <paramref name="period"/> (zero: once). The grain must implement <see cref="IRemindable"/>.
    /// </summary>
    protected Task RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        Activation.Runtime.Reminders.RegisterAsync(this, reminderName, dueTime, period);

    /// <summary>Removes a reminder; nothing happens if it does not exist.</summary>
    protected Task UnregisterReminder(string reminderName) =>
        Activation.Runtime.Reminders.UnregisterAsync(GrainId, reminderName);
}

/// <summary>Why an activation is dropped.</summary>
public enum DeactivationReason
{
    ApplicationRequested,
    IdleCollection,
    ActivationLimit,
    StaleState,
    WriteFailed,
    RuntimeStopping,
}
