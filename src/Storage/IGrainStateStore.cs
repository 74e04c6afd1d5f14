namespace ReturnOps.Storage;

/// <summary>A stored grain state: the JSON payload (null after a clear) and its version.</summary>
public readonly record struct StoredState(string? Payload, long Version);

/// <summary>
/// Durable grain state with optimistic concurrency. Version 0 means "never written"; every write
/// increments it. A clear leaves a tombstone with a new version so that a stale writer can never
/// succeed by matching a version that was reused.
/// </summary>
public interface IGrainStateStore
{
    /// <summary>Reads the state of <paramref name="id"/>, or version 0 and no payload.</summary>
    Task<StoredState> ReadAsync(GrainKey id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="payload"/> (null clears) if the stored version is <paramref name="expectedVersion"/>,
    /// with <paramref name="effects"/> in the same transaction. Returns the new version.
    /// Throws Orleans' <see cref="Orleans.Storage.InconsistentStateException"/> on a version mismatch.
    /// </summary>
    Task<long> WriteAsync(GrainKey id, long expectedVersion, string? payload, TurnEffects effects, CancellationToken cancellationToken);

    /// <summary>Writes effects that go with no state change, in one transaction.</summary>
    Task WriteEffectsAsync(TurnEffects effects, CancellationToken cancellationToken);
}
