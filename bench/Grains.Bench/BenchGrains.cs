using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.Placement;

namespace ReturnOps.Grains.Bench;

/// <summary>No-op calls: the runtime's cost of a call and nothing else.</summary>
[Alias("ReturnOps.Bench.INoopGrain")]
public interface INoopGrain : IGrainWithStringKey
{
    /// <summary>Returns <see cref="Task.CompletedTask"/>.</summary>
    [Alias("Ping")]
    Task Ping();

    /// <summary>Returns a cached <see cref="Task{TResult}"/> (42).</summary>
    [Alias("Get")]
    Task<int> Get();

    /// <summary>The silo this activation lives on (<see cref="Grain.RuntimeIdentity"/>).</summary>
    [Alias("Where")]
    Task<string> Where();
}

/// <summary>
/// Placed on the silo of its first caller, so that the benchmark decides where each target lives (two-silo rows:
/// activated from silo 2, called from silo 1).
/// </summary>
[PreferLocalPlacement]
[GrainType("bench-noop")]
public sealed class NoopGrain : Grain, INoopGrain
{
    private static readonly Task<int> s_answer = Task.FromResult(42);

    /// <summary>Every activation by key, so that the benchmark can call the same object directly.</summary>
    public static ConcurrentDictionary<string, NoopGrain> Instances { get; } = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Instances[this.GetPrimaryKeyString()] = this;
        return Task.CompletedTask;
    }

    public Task Ping() => Task.CompletedTask;

    public Task<int> Get() => s_answer;

    public Task<string> Where() => Task.FromResult(RuntimeIdentity);
}

/// <summary>A grain that calls another grain in a loop: grain-to-grain calls, as a domain grain makes them.</summary>
[Alias("ReturnOps.Bench.ICallerGrain")]
public interface ICallerGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="target"/>'s <c>Ping</c> (or <c>Get</c>) until the <see cref="Stopwatch"/> timestamp <paramref name="deadline"/>; returns the calls made.</summary>
    [Alias("CallUntil")]
    Task<long> CallUntil(INoopGrain target, bool withResult, long deadline);

    /// <summary>The silo this activation lives on.</summary>
    [Alias("Where")]
    Task<string> Where();
}

[PreferLocalPlacement]
[GrainType("bench-caller")]
public sealed class CallerGrain : Grain, ICallerGrain
{
    public Task<long> CallUntil(INoopGrain target, bool withResult, long deadline) =>
        withResult ? CallLoops.GetLoop(target, deadline) : CallLoops.PingLoop(target, deadline);

    public Task<string> Where() => Task.FromResult(RuntimeIdentity);
}

/// <summary>A stateless grain that stays idle once activated.</summary>
[Alias("ReturnOps.Bench.IIdleGrain")]
public interface IIdleGrain : IGrainWithStringKey
{
    /// <summary>Does nothing; the first call activates the grain.</summary>
    [Alias("Touch")]
    Task Touch();
}

[GrainType("bench-idle")]
public sealed class IdleGrain : Grain, IIdleGrain
{
    public Task Touch() => Task.CompletedTask;
}

/// <summary>The old runtime's benchmark state: one field.</summary>
public sealed class SmallState
{
    public int Value { get; set; }
}

/// <summary>A grain with a small state in ReturnOps' storage that stays idle once activated.</summary>
[Alias("ReturnOps.Bench.IStatefulIdleGrain")]
public interface IStatefulIdleGrain : IGrainWithStringKey
{
    /// <summary>Reads the state; the first call activates the grain, which reads its row.</summary>
    [Alias("Touch")]
    Task<int> Touch();
}

[GrainType("bench-stateful-idle")]
public sealed class StatefulIdleGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<SmallState> state) : Grain, IStatefulIdleGrain
{
    public Task<int> Touch() => Task.FromResult(state.State.Value);
}
