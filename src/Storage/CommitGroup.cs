namespace ReturnOps.Storage;

/// <summary>
/// Group commit for durable writes that fail or succeed as a group (the gateway's audit chain, idempotency leases and
/// answers; the dispatcher's marks of delivered messages): writes that arrive
/// while a group is being committed wait and are committed together by the next one, in arrival order, in one
/// transaction. Each caller returns once the transaction that holds its write has committed, with its own result, or
/// with the group's failure: a group that fails has written nothing and fails every write in it.
/// One group is in flight at a time per instance, so under load each commit carries what arrived during the last one,
/// and a lone write waits for nobody. Reads that many callers make at once are grouped the same way (the returnees that
/// activate together in a booking rush, read in one statement): there a "write" is the key to read and its result the row.
/// </summary>
/// <param name="commit">Writes one group in one transaction and returns one result per write, in the group's order.</param>
/// <param name="maxGroupSize">Most writes in one group: bounds the statement's parameters and the time a group holds locks.</param>
/// <param name="gather">
/// Yield once before taking each group, so that writers ready at the same moment (continuations queued together on one
/// grain's scheduler) join it: where a commit completes without waiting (SQLite), nothing else would let them meet.
/// </param>
public sealed class CommitGroup<TWrite, TResult>(Func<IReadOnlyList<TWrite>, Task<IReadOnlyList<TResult>>> commit, int maxGroupSize, bool gather = false)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _queueLock = new();
    private readonly List<Queued> _queued = [];

    private sealed record Queued(TWrite Write, TaskCompletionSource<TResult> Done);

    /// <summary>Writes waiting for the group in flight (tests read it to let writers meet).</summary>
    public int Waiting
    {
        get
        {
            lock (_queueLock)
            {
                return _queued.Count;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="write"/> and returns its result once its group has committed. Cancelled while still queued,
    /// the write is withdrawn and never written; once taken into a group, its outcome is that group's.
    /// </summary>
    public async Task<TResult> WriteAsync(TWrite write, CancellationToken cancellationToken)
    {
        var queued = new Queued(write, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_queueLock)
        {
            _queued.Add(queued);
        }
        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_queueLock)
            {
                if (_queued.Remove(queued))
                {
                    throw;
                }
            }
            return await queued.Done.Task;
        }
        try
        {
            // Holding the gate, no group is in flight: this write is either answered or still queued. Groups are taken
            // from the front, so this ends once the groups ahead of it are committed.
            while (!queued.Done.Task.IsCompleted)
            {
                await CommitNextGroupAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
        return await queued.Done.Task;
    }

    private async Task CommitNextGroupAsync()
    {
        if (gather)
        {
            await Task.Yield();
        }
        List<Queued> group;
        lock (_queueLock)
        {
            var count = Math.Min(_queued.Count, maxGroupSize);
            group = _queued.GetRange(0, count);
            _queued.RemoveRange(0, count);
        }
        try
        {
            var results = await commit([.. group.Select(q => q.Write)]);
            if (results.Count != group.Count)
            {
                throw new InvalidOperationException($"A group of {group.Count} writes committed with {results.Count} results.");
            }
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            group.ForEach(q => q.Done.TrySetException(ex));
        }
    }
}
