namespace ReturnOps.Runtime;

/// <summary>A grain's durable state, read before activation and written with optimistic concurrency.</summary>
public interface IPersistentState<TState> where TState : class, new()
{
    /// <summary>The state; a new instance when nothing is stored.</summary>
    TState State { get; set; }

    /// <summary>The stored version, or null when nothing was ever written.</summary>
    string? Etag { get; }

    /// <summary>Whether a state is stored (false after <see cref="ClearStateAsync"/>).</summary>
    bool RecordExists { get; }

    /// <summary>Reads the stored state again, replacing <see cref="State"/>.</summary>
    Task ReadStateAsync();

    /// <summary>
    /// Writes <see cref="State"/> together with the turn's outbox messages and read-model writes in one
    /// transaction. Throws <see cref="InconsistentStateException"/> if another writer got there first.
    /// </summary>
    Task WriteStateAsync();

    /// <summary>Removes the stored state (keeping a version tombstone) with the turn's effects.</summary>
    Task ClearStateAsync();
}
