namespace ReturnOps.Storage;

/// <summary>A committed state write, announced so that gateways can tell their event-stream readers (SSE).</summary>
public readonly record struct StateChange(GrainKey Grain, long Version, string Origin);

/// <summary>
/// Tells processes about committed grain writes, their own included (a gateway's call, a silo's reminder, a delivered
/// message: whoever wrote, a gateway's event streams must hear of it). <see cref="StateChange.Origin"/> names the writer.
/// Best effort by design: a stream that misses a signal shows the change with the next one; nothing depends on it
/// for correctness (Orleans keeps one activation per grain; the version check catches any other writer).
/// </summary>
public interface IChangeFeed
{
    /// <summary>Announces a committed write; never blocks the writer.</summary>
    void Publish(StateChange change);

    /// <summary>Starts delivering every committed change, this process's too, to <paramref name="onChange"/>.</summary>
    Task SubscribeAsync(Action<StateChange> onChange, CancellationToken cancellationToken);
}
