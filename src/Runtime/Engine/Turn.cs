namespace ReturnOps.Runtime.Engine;

/// <summary>A call waiting in an activation's mailbox.</summary>
internal abstract class Turn(bool readOnly)
{
    public bool ReadOnly { get; } = readOnly;

    /// <summary>Runs the turn on <paramref name="activation"/>; never throws (failures complete the caller's task).</summary>
    public abstract void Start(GrainActivation activation);

    /// <summary>Fails the caller without running (the activation could not be created).</summary>
    public abstract void Fail(Exception exception);
}

internal sealed class Turn<TGrain, TArgs, TResult>(GrainMethod method, TArgs args, Func<TGrain, TArgs, Task<TResult>> body)
    : Turn(method.ReadOnly)
{
    // Continuations run inline: the caller resumes on the thread that finished the turn, saving a hop.
    private readonly TaskCompletionSource<TResult> _completion = new();

    public Task<TResult> Task => _completion.Task;

    public override void Start(GrainActivation activation) => _ = Run(activation);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    private async Task Run(GrainActivation activation)
    {
        try
        {
            _completion.TrySetResult(await activation.RunTurn(method, args, body));
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }
}

/// <summary>The activation's own work (activate, deactivate) as a turn that excludes every call.</summary>
internal sealed class LifecycleTurn(Func<Task> work) : Turn(readOnly: false)
{
    public override void Start(GrainActivation activation) => _ = Run(activation);

    public override void Fail(Exception exception)
    {
    }

    private async Task Run(GrainActivation activation)
    {
        try
        {
            await work();
        }
        finally
        {
            activation.EndTurn(readOnly: false);
        }
    }
}

/// <summary>
/// A call reached an activation that is gone; the runtime sends it to a new one. Rare: queued calls are
/// handed over directly when an activation is dropped, so only a race at the very end of a
/// deactivation surfaces this.
/// </summary>
internal sealed class ActivationDefunctException() : Exception("The activation was deactivated.");
