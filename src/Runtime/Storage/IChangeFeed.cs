namespace ReturnOps.Runtime.Storage;

/// <summary>A committed state write, announced so that other replicas drop their stale activation.</summary>
public readonly record struct StateChange(GrainId Grain, long Version, string Origin);

/// <summary>
/// Tells replicas about committed writes. Best effort by design: a missed change costs one replayed
/// call (the version check catches the stale activation), never a lost update.
/// </summary>
public interface IChangeFeed
{
    /// <summary>Announces a committed write; never blocks the writer.</summary>
    void Publish(StateChange change);

    /// <summary>Starts delivering other replicas' changes to <paramref name="onChange"/>.</summary>
    Task SubscribeAsync(Action<StateChange> onChange, CancellationToken cancellationToken);
}
