using Orleans.Storage;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// The returnee's storage: its state is read with its hold row in one statement (<see cref="ReturneeHolds.StateWithHoldAsync"/>,
/// issue 22), into <see cref="ReturneeState.StoredHold"/>; writes and clears are the shared grain storage's, effects and all.
/// </summary>
internal sealed class ReturneeStateStorage(IStorageProvider storage, GrainStateStorage shared) : IGrainStorage
{
    /// <summary>The name the returnee grain's <c>[PersistentState]</c> asks for.</summary>
    public const string Name = "returnops-returnees";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (stored, hold) = await ReturneeHolds.StateWithHoldAsync(storage, GrainStateStorage.KeyOf(grainId));
        shared.Apply(stored, grainState);
        if (grainState.State is not ReturneeState returnee)
        {
            throw new InvalidOperationException($"{nameof(ReturneeStateStorage)} stores returnees only, not {typeof(T).Name}.");
        }
        returnee.StoredHold = hold;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        shared.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        shared.ClearStateAsync(stateName, grainId, grainState);
}
