using System.Collections.Concurrent;

namespace ReturnOps.Storage;

/// <summary>
/// The effects (outbox messages, read-model rows) a grain's current turn has staged, held per grain until the
/// turn's state write takes them into its transaction. Keyed by grain id: Orleans keeps at most one activation of
/// a grain per silo and runs its turns one at a time, so a grain's staged effects belong to exactly one turn.
/// </summary>
public sealed class StagedEffects
{
    private readonly ConcurrentDictionary<GrainId, TurnEffects> _byGrain = new();

    /// <summary>The effects staged so far by <paramref name="grain"/>'s turn, created on first use.</summary>
    public TurnEffects For(GrainId grain) => _byGrain.GetOrAdd(grain, static _ => new TurnEffects());

    /// <summary>Takes the staged effects of <paramref name="grain"/> out, to be written now; empty if none.</summary>
    public TurnEffects Take(GrainId grain) => _byGrain.TryRemove(grain, out var effects) ? effects : TurnEffects.None;

    /// <summary>Drops what a failed turn staged: nothing of it may ever be written.</summary>
    public void Discard(GrainId grain) => _byGrain.TryRemove(grain, out _);
}
