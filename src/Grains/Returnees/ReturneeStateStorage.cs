using Orleans.Storage;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// The returnee's storage: its state is read with its hold row (<see cref="ReturneeHolds.StatesWithHoldsAsync"/>, issue 22),
/// into <see cref="ReturneeState.StoredHold"/>; writes and clears are the shared grain storage's, effects and all.
/// Reads are grouped like commits: the returnees that activate while a read is in flight (the cold returnees of a rush's
/// bookings, activated all at once) are read by the next one, in one statement, instead of one round trip each.
/// </summary>
internal sealed class ReturneeStateStorage : IGrainStorage
{
    /// <summary>The name the returnee grain's <c>[PersistentState]</c> asks for.</summary>
    public const string Name = "returnops-returnees";

    /// <summary>Most returnees read in one statement: bounds its parameters (SQLite allows 32,766) and its rows.</summary>
    private const int MaxGroup = 500;

    private readonly GrainStateStorage _shared;
    private readonly CommitGroup<GrainKey, (StoredState State, ReturneeHolds.Hold? Hold)> _reads;

    public ReturneeStateStorage(IStorageProvider storage, GrainStateStorage shared)
    {
        _shared = shared;
        _reads = new(keys => ReturneeHolds.StatesWithHoldsAsync(storage, keys), MaxGroup);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Queued like a write of a group commit; its result is this returnee's row.
        var (stored, hold) = await _reads.WriteAsync(GrainStateStorage.KeyOf(grainId), CancellationToken.None);
        _shared.Apply(stored, grainState);
        if (grainState.State is not ReturneeState returnee)
        {
            throw new InvalidOperationException($"{nameof(ReturneeStateStorage)} stores returnees only, not {typeof(T).Name}.");
        }
        returnee.StoredHold = hold;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _shared.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _shared.ClearStateAsync(stateName, grainId, grainState);
}
