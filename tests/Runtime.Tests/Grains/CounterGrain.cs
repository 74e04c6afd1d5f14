namespace ReturnOps.Runtime.Tests.Grains;

public sealed class CounterState
{
    public int Value { get; set; }
}

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="by"/>, yielding inside the turn, and stores the sum.</summary>
    Task<int> Add(int by);

    /// <summary>The stored value.</summary>
    [ReadOnly]
    Task<int> Get();

    /// <summary>How many times two turns ran at once in this activation (must stay 0).</summary>
    [ReadOnly]
    Task<int> Overlaps();
}

public sealed class CounterGrain(IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    private int _inTurn;
    private int _overlaps;

    public async Task<int> Add(int by)
    {
        if (Interlocked.Increment(ref _inTurn) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
        try
        {
            // Awaiting inside the turn: a non-reentrant runtime must still hold every other call back.
            await Task.Yield();
            state.State.Value += by;
            await state.WriteStateAsync();
            return state.State.Value;
        }
        finally
        {
            Interlocked.Decrement(ref _inTurn);
        }
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);

    public Task<int> Overlaps() => Task.FromResult(_overlaps);
}
