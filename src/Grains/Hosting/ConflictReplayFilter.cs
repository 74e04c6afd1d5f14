using Orleans.Storage;

namespace ReturnOps.Grains.Hosting;

/// <summary>
/// A call whose state write met another writer's version (<see cref="InconsistentStateException"/>: rare with Orleans'
/// single activation, possible while membership settles after a silo dies) is sent once more. Orleans has dropped the
/// conflicted activation by then, so the replay runs on a fresh one that read the latest state and decides again.
/// Domain calls are idempotent (booking ids follow from the Idempotency-Key), so a replay never books twice. A second
/// conflict reaches the caller (the gateway answers 503 with Retry-After).
/// </summary>
internal sealed class ConflictReplayFilter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (InconsistentStateException)
        {
            await context.Invoke();
        }
    }
}
