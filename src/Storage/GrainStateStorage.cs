using System.Globalization;
using System.Text.Json;
using Orleans.Storage;

namespace ReturnOps.Storage;

/// <summary>
/// Orleans' <see cref="IGrainStorage"/> over our <c>grain_state</c> table: the state is written in one transaction
/// with the outbox messages and read-model rows its turn staged (<see cref="StagedEffects"/>), which no Orleans
/// provider can do. The ETag is the row's version; a write over another version throws
/// <see cref="InconsistentStateException"/> and writes nothing. States are stored as JSON through the domain's
/// source-generated serializer context, so rows stay readable with SQL and survive type renames.
/// One state per grain: the state name is not part of the key.
/// </summary>
public sealed class GrainStateStorage(IStorageProvider storage, StagedEffects staged, JsonSerializerOptions json) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Apply(await storage.GrainStorage.ReadAsync(KeyOf(grainId), CancellationToken.None), grainState);
    }

    /// <summary>Sets <paramref name="grainState"/> from a stored row: its state (a new one if none or cleared) and its ETag.</summary>
    public void Apply<T>(StoredState stored, IGrainState<T> grainState)
    {
        grainState.State = stored.Payload is null ? Activator.CreateInstance<T>() : (T)JsonSerializer.Deserialize(stored.Payload, typeof(T), json)!;
        grainState.ETag = stored.Version == 0 ? null : stored.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = stored.Payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = JsonSerializer.Serialize(grainState.State, typeof(T), json);
        grainState.ETag = await Write(grainId, grainState.ETag, payload);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // A clear keeps a tombstone with a new version, so a stale writer can never match a reused version.
        grainState.ETag = await Write(grainId, grainState.ETag, payload: null);
        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
    }

    private async Task<string> Write(GrainId grainId, string? etag, string? payload)
    {
        var expected = etag is null ? 0 : long.Parse(etag, CultureInfo.InvariantCulture);
        var version = await storage.GrainStorage.WriteAsync(KeyOf(grainId), expected, payload, staged.Take(grainId), CancellationToken.None);
        return version.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The row of a grain: its stable <c>[GrainType]</c> name and its key.</summary>
    public static GrainKey KeyOf(GrainId grainId) => new(grainId.Type.ToString()!, grainId.Key.ToString()!);
}
