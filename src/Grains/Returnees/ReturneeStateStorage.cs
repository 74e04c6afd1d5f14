using System.Data;
using System.Data.Common;
using Orleans.Storage;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// The returnee's storage: its state is read with its hold row in one statement (<see cref="ReturneeHolds.StateWithHold"/>,
/// issue 22), into <see cref="ReturneeState.StoredHold"/>; writes and clears are the shared grain storage's, effects and all.
/// </summary>
internal sealed class ReturneeStateStorage(IStorageProvider storage, GrainStateStorage shared) : IGrainStorage
{
    /// <summary>The name the returnee grain's <c>[PersistentState]</c> asks for.</summary>
    public const string Name = "returnops-returnees";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = GrainStateStorage.KeyOf(grainId);
        object?[] row;
        try
        {
            await using var connection = await storage.DataSource.OpenConnectionAsync();
            var rows = (await StatementBatch.QueryAsync(connection, null, [new Statement(ReturneeHolds.StateWithHold,
                [new StatementParameter("@type", key.Type, DbType.String), new StatementParameter("@key", key.Key, DbType.String)])],
                CancellationToken.None))[0];
            row = rows[0];
        }
        catch (DbException ex)
        {
            throw new StorageUnavailableException($"Returnee {key.Key} could not be read.", ex);
        }
        shared.Apply(new StoredState(row[0] as string, row[1] is null ? 0 : Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture)), grainState);
        if (grainState.State is not ReturneeState returnee)
        {
            throw new InvalidOperationException($"{nameof(ReturneeStateStorage)} stores returnees only, not {typeof(T).Name}.");
        }
        returnee.StoredHold = ReturneeHolds.Read(row, 2);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        shared.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        shared.ClearStateAsync(stateName, grainId, grainState);
}
