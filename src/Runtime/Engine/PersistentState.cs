using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReturnOps.Runtime.Storage;

namespace ReturnOps.Runtime.Engine;

/// <summary>What the activation needs of a state without knowing its type.</summary>
internal interface IStateHolder
{
    long Version { get; }
}

internal sealed class PersistentState<TState>(GrainActivation activation, JsonTypeInfo<TState> typeInfo) : IPersistentState<TState>, IStateHolder
    where TState : class, new()
{
    public TState State { get; set; } = new();
    public long Version { get; private set; }
    public string? Etag => Version == 0 ? null : Version.ToString(CultureInfo.InvariantCulture);
    public bool RecordExists { get; private set; }

    public void Load(StoredState stored)
    {
        State = stored.Payload is null ? new TState() : JsonSerializer.Deserialize(stored.Payload, typeInfo) ?? new TState();
        Version = stored.Version;
        RecordExists = stored.Payload is not null;
    }

    public async Task ReadStateAsync() => Load(await activation.Runtime.Storage.GrainStorage.ReadAsync(activation.Id, CancellationToken.None));

    public async Task WriteStateAsync()
    {
        Version = await activation.WriteStateAsync(Version, JsonSerializer.Serialize(State, typeInfo));
        RecordExists = true;
    }

    public async Task ClearStateAsync()
    {
        Version = await activation.WriteStateAsync(Version, payload: null);
        State = new TState();
        RecordExists = false;
    }
}
