using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace ReturnOps.Runtime.Bench;

/// <summary>No-op calls: the runtime's cost of a call and nothing else.</summary>
public interface INoopGrain : IGrainWithStringKey
{
    /// <summary>Returns <see cref="Task.CompletedTask"/>.</summary>
    Task Ping();

    /// <summary>Returns a cached <see cref="Task{TResult}"/>.</summary>
    Task<int> Get();
}

public sealed class NoopGrain : Grain, INoopGrain
{
    private static readonly Task<int> s_answer = Task.FromResult(42);

    /// <summary>Every activation by key, so that the benchmark can call the same object directly.</summary>
    public static ConcurrentDictionary<string, NoopGrain> Instances { get; } = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Instances[GetPrimaryKeyString()] = this;
        return Task.CompletedTask;
    }

    public Task Ping() => Task.CompletedTask;

    public Task<int> Get() => s_answer;
}

/// <summary>A stateless grain that stays idle once activated.</summary>
public interface IIdleGrain : IGrainWithStringKey
{
    Task Touch();
}

public sealed class IdleGrain : Grain, IIdleGrain
{
    public Task Touch() => Task.CompletedTask;
}

public sealed class SmallState
{
    public int Value { get; set; }
}

/// <summary>A grain with a small persisted state that stays idle once activated.</summary>
public interface IStatefulIdleGrain : IGrainWithStringKey
{
    Task<int> Touch();
}

public sealed class StatefulIdleGrain(IPersistentState<SmallState> state) : Grain, IStatefulIdleGrain
{
    public Task<int> Touch() => Task.FromResult(state.State.Value);
}

/// <summary>Each call increments the state and writes it.</summary>
public interface IWriteGrain : IGrainWithStringKey
{
    Task<int> Increment();
}

public sealed class WriteGrain(IPersistentState<SmallState> state) : Grain, IWriteGrain
{
    public async Task<int> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }
}

[JsonSerializable(typeof(SmallState))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
