using ReturnOps.Storage;

namespace ReturnOps.MessagingBench;

/// <summary>
/// Writes outbox rows the way grain turns commit them: <see cref="IGrainStateStore.WriteEffectsAsync"/>, one transaction
/// per turn followed by <c>NOTIFY returnops_outbox</c>. Each lane's turns are written one after another (a lane is one
/// grain, whose turns never overlap); <see cref="Writers"/> lanes' grains write at once.
/// </summary>
public static class Enqueue
{
    /// <summary>Grains committing at once.</summary>
    public const int Writers = 16;

    /// <summary>Messages of seq <paramref name="fromSeq"/> (inclusive) to <paramref name="toSeq"/> (exclusive) of every lane, <paramref name="perTurn"/> per turn.</summary>
    public static Task WriteAsync(IStorageProvider storage, Receivers receivers, Workload workload, int fromSeq, int toSeq, int perTurn, DateTimeOffset now) =>
        Parallel.ForEachAsync(Enumerable.Range(0, workload.Lanes), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (lane, ct) =>
        {
            for (var first = fromSeq; first < toSeq; first += perTurn)
            {
                var turn = new TurnEffects();
                for (var seq = first; seq < Math.Min(first + perTurn, toSeq); seq++)
                {
                    turn.Add(new OutboxMessage(workload.MessageId(lane, seq), workload.DestinationOf(receivers, lane), Workload.LaneName(lane),
                        Workload.Type, Workload.Payload(lane, seq), now));
                }
                await storage.GrainStorage.WriteEffectsAsync(turn, ct);
            }
        });
}
