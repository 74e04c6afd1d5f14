namespace ReturnOps.Storage.Tests.Grains;

[Alias("StorageTests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    [Alias("Increment")]
    Task<int> Increment();

    [Alias("Get")]
    Task<int> Get();
}

/// <summary>
/// Counts in memory only: a second activation of the same key elsewhere in the cluster would count on its own,
/// so an exact total proves that calls from every silo reached one activation.
/// </summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _count;

    public async Task<int> Increment()
    {
        // A turn boundary in the middle: a second activation or interleaved calls would lose increments.
        var seen = _count;
        await Task.Yield();
        _count = seen + 1;
        return _count;
    }

    public Task<int> Get() => Task.FromResult(_count);
}
