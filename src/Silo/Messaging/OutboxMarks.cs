using ReturnOps.Storage;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Marks what lanes delivered, for all lanes that finish together in one statement (a <see cref="CommitGroup{TWrite, TResult}"/>,
/// as the audit log appends): the first lane to finish marks its batch at once; lanes that finish while that mark is in
/// flight queue, and the next mark takes every queued batch in one statement, one transaction, one round trip. With fsync
/// on, a mark is a WAL flush, so 32 lanes finishing together cost one flush instead of 32 (docs/performance.md, issue 13 §3).
/// The statement is all or nothing: when it fails, every lane in it hears the failure and nothing of it is marked.
/// </summary>
internal sealed class OutboxMarks
{
    private readonly IOutboxStore _store;
    private readonly CommitGroup<IReadOnlyCollection<CompletedMessage>, bool> _marks;

    public OutboxMarks(IOutboxStore store)
    {
        _store = store;
        _marks = new CommitGroup<IReadOnlyCollection<CompletedMessage>, bool>(MarkTogetherAsync, int.MaxValue);
    }

    /// <summary>Batches waiting for the mark in flight; tests read it to let lanes meet.</summary>
    internal int Queued => _marks.Waiting;

    /// <summary>
    /// Returns once <paramref name="messages"/> are marked, together with whatever other lanes queued meanwhile; throws
    /// the store's exception when that statement failed (then none of them is marked). Never cancelled: a stopping replica
    /// still records what it delivered, and the statement holds other lanes' messages too.
    /// </summary>
    public async Task MarkAsync(IReadOnlyCollection<CompletedMessage> messages)
    {
        if (messages.Count > 0)
        {
            await _marks.WriteAsync(messages, CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<bool>> MarkTogetherAsync(IReadOnlyList<IReadOnlyCollection<CompletedMessage>> batches)
    {
        // In id order: two replicas' statements (after an expired lease) then lock shared rows in the same order.
        await _store.CompleteAsync([.. batches.SelectMany(b => b).OrderBy(m => m.Id)], CancellationToken.None);
        return [.. batches.Select(_ => true)];
    }
}
