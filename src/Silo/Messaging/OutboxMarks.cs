namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Marks what lanes delivered, for all lanes that finish together in one statement (group commit, as the audit log appends):
/// the first lane to finish marks its batch at once; lanes that finish while that mark is in flight queue, and the next
/// one of them marks every queued batch in one statement, one transaction, one round trip. With fsync on, a mark is a
/// WAL flush, so 32 lanes finishing together cost one flush instead of 32 (docs/performance.md, issue 13 §3).
/// The statement is all or nothing: when it fails, every lane in it hears the failure and nothing of it is marked.
/// </summary>
internal sealed class OutboxMarks(IOutboxStore store)
{
    private readonly SemaphoreSlim _markGate = new(1, 1);
    private readonly Lock _queueLock = new();
    private List<(IReadOnlyCollection<CompletedMessage> Messages, TaskCompletionSource Marked)> _queued = [];

    /// <summary>Batches waiting for the mark in flight; tests read it to let lanes meet.</summary>
    internal int Queued
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
    /// Returns once <paramref name="messages"/> are marked, together with whatever other lanes queued meanwhile; throws
    /// the store's exception when that statement failed (then none of them is marked). Never cancelled: a stopping replica
    /// still records what it delivered, and the statement holds other lanes' messages too.
    /// </summary>
    public async Task MarkAsync(IReadOnlyCollection<CompletedMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }
        var marked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_queueLock)
        {
            _queued.Add((messages, marked));
        }
        // One mark at a time per replica: whoever passes the gate takes everything queued so far.
        await _markGate.WaitAsync(CancellationToken.None);
        try
        {
            if (!marked.Task.IsCompleted)
            {
                List<(IReadOnlyCollection<CompletedMessage> Messages, TaskCompletionSource Marked)> batch;
                lock (_queueLock)
                {
                    (batch, _queued) = (_queued, []);
                }
                await MarkTogetherAsync(batch);
            }
        }
        finally
        {
            _markGate.Release();
        }
        await marked.Task;
    }

    private async Task MarkTogetherAsync(List<(IReadOnlyCollection<CompletedMessage> Messages, TaskCompletionSource Marked)> batch)
    {
        try
        {
            // In id order: two replicas' statements (after an expired lease) then lock shared rows in the same order.
            await store.CompleteAsync([.. batch.SelectMany(b => b.Messages).OrderBy(m => m.Id)], CancellationToken.None);
            batch.ForEach(b => b.Marked.TrySetResult());
        }
#pragma warning disable CA1031 // Not swallowed: every lane in the statement gets the exception and decides what to hand back.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            batch.ForEach(b => b.Marked.TrySetException(ex));
        }
    }
}
