using System.Collections.Concurrent;

namespace ReturnOps.Runtime.Engine;

/// <summary>The live activations of one runtime instance, at most one per grain.</summary>
internal sealed class Catalog(GrainRuntime runtime, GrainClassRegistry classes)
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private int _shedding;

    public int Count => _activations.Count;

    public GrainActivation GetOrActivate(GrainId id)
    {
        if (_activations.TryGetValue(id, out var existing))
        {
            return existing;
        }
        var created = new GrainActivation(runtime, id, classes.ForTypeName(id.Type));
        var winner = _activations.GetOrAdd(id, created);
        if (ReferenceEquals(winner, created))
        {
            created.Start();
            if (_activations.Count > runtime.Options.MaxActivations)
            {
                ShedLeastRecentlyUsed();
            }
        }
        return winner;
    }

    public bool TryGet(GrainId id, out GrainActivation activation) => _activations.TryGetValue(id, out activation!);

    public void Remove(GrainActivation activation) => _activations.TryRemove(KeyValuePair.Create(activation.Id, activation));

    public IReadOnlyCollection<GrainActivation> Snapshot() => [.. _activations.Values];

    /// <summary>Deactivates every idle activation unused since <paramref name="unusedSince"/>.</summary>
    public IReadOnlyList<Task> CollectIdle(long unusedSince)
    {
        var collected = new List<Task>();
        foreach (var activation in _activations.Values)
        {
            if (activation.LastUsed < unusedSince && activation.IsIdle)
            {
                activation.RequestDeactivation(DeactivationReason.IdleCollection);
                collected.Add(activation.WhenDeactivated());
            }
        }
        return collected;
    }

    /// <summary>
    /// Over the bound, drops the least recently used idle activations down to 90% of it. Sorting all
    /// activations is O(n log n), so it runs once per overflow of 10%, not once per new activation.
    /// </summary>
    private void ShedLeastRecentlyUsed()
    {
        if (Interlocked.Exchange(ref _shedding, 1) == 1)
        {
            return;
        }
        try
        {
            var target = runtime.Options.MaxActivations * 9 / 10;
            var excess = _activations.Count - target;
            foreach (var activation in _activations.Values.OrderBy(a => a.LastUsed).Where(a => a.IsIdle).Take(excess))
            {
                activation.RequestDeactivation(DeactivationReason.ActivationLimit);
            }
        }
        finally
        {
            Volatile.Write(ref _shedding, 0);
        }
    }
}
