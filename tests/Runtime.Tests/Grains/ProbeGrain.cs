namespace ReturnOps.Runtime.Tests.Grains;

/// <summary>Records what happens to activations, shared by the test and the grains it creates.</summary>
public sealed class ActivationLog
{
    private int _activations;
    private int _deactivations;

    public int Activations => Volatile.Read(ref _activations);
    public int Deactivations => Volatile.Read(ref _deactivations);
    public List<DeactivationReason> Reasons { get; } = [];

    public void Activated() => Interlocked.Increment(ref _activations);

    public void Deactivated(DeactivationReason reason)
    {
        Interlocked.Increment(ref _deactivations);
        lock (Reasons)
        {
            Reasons.Add(reason);
        }
    }
}

public sealed class ProbeFailure(string message) : Exception(message);

/// <summary>A stateless grain for scheduling behaviour: gates, failures, hangs.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task Ping();

    /// <summary>Waits inside a writer turn until <paramref name="gate"/> completes.</summary>
    Task<string> Hold(TaskCompletionSource gate, string label);

    /// <summary>A read-only call that waits until <paramref name="gate"/> completes.</summary>
    [ReadOnly]
    Task<string> Peek(TaskCompletionSource gate, string label);

    Task Throw(string message);

    ValueTask<int> Twice(int value);

    Task<int> Sum(int a, int b, int c);
}

public sealed class ProbeGrain(ActivationLog log) : Grain, IProbeGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        log.Activated();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        log.Deactivated(reason);
        return Task.CompletedTask;
    }

    public Task Ping() => Task.CompletedTask;

    public async Task<string> Hold(TaskCompletionSource gate, string label)
    {
        await gate.Task;
        return label;
    }

    public async Task<string> Peek(TaskCompletionSource gate, string label)
    {
        await gate.Task;
        return label;
    }

    public Task Throw(string message) => throw new ProbeFailure(message);

    public ValueTask<int> Twice(int value) => ValueTask.FromResult(value * 2);

    public Task<int> Sum(int a, int b, int c) => Task.FromResult(a + b + c);
}
