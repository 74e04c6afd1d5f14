using ReturnOps.Storage;

namespace ReturnOps.Silo.Messaging;

/// <summary>Delivering a claimed lane in order, and writing what its messages came to: the marks, the retries, the releases.</summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>
    /// Sends a lane's claimed messages one after another: each only after the one before it was answered (acknowledged by
    /// every matching subscription, or ended as unrouted or dead). What they came to is kept in memory and written for the
    /// whole batch when the lane stops (at its end, at its first failure, or when the replica stops), in one statement with
    /// the batches of the other lanes that stop meanwhile (<see cref="OutboxMarks"/>). <paramref name="sent"/> is called when
    /// the lane stops sending, before that mark.
    /// </summary>
    private async Task DeliverLaneAsync(Lane lane, CancellationToken cancellationToken, Action? sent = null)
    {
        var completed = new List<CompletedMessage>(lane.Rows.Count);
        var next = 0; // the first row neither completed nor rescheduled
        try
        {
            // Stop early enough that a claim never expires while this replica still sends under it.
            var stopAt = lane.LeaseUntilMs - (long)(options.AttemptTimeout.TotalMilliseconds * (options.InProcessRetries + 2));
            for (; next < lane.Rows.Count && NowMs() < stopAt; next++)
            {
                var row = lane.Rows[next];
                var outcome = await SendAsync(row, lane.Targets, cancellationToken);
                if (Completion(row, outcome, NowMs()) is { } done)
                {
                    completed.Add(done);
                    continue;
                }
                // The lane stops at its first failure: what was answered before it is marked first, then the failed
                // message waits for its retry time (as the lane's first pending message it holds the rest back).
                await CompleteAsync(completed);
                completed.Clear();
                await RescheduleAsync(row, outcome, cancellationToken);
                next++;
                break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is StorageUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            LogLaneFailed(logger, lane.Rows[0].Destination, lane.Rows[0].Lane, ex);
        }
        sent?.Invoke();
        // Whatever stopped the lane, what it sent is marked and only what it did not send is handed back. If the mark
        // fails, those messages are handed back too and sent again under the same ids (at least once).
        var unsent = lane.Rows.Skip(next).Select(r => r.Id);
        if (!await TryCompleteAsync(completed))
        {
            unsent = completed.Select(c => c.Id).Concat(unsent);
        }
        await ReleaseAsync([.. unsent]);
    }

    /// <summary>What a message came to if it is over (delivered, unrouted or dead), or null when it waits for a retry.</summary>
    private CompletedMessage? Completion(OutboxRow row, RowOutcome outcome, long now)
    {
        if (outcome.Status is { } status)
        {
            if (status == DeliveryStatus.Dead)
            {
                LogDead(logger, row.MessageId, row.Destination, row.Attempts, outcome.Error);
            }
            else
            {
                LogCompleted(logger, row.MessageId, row.Type, row.Destination, status);
            }
            return new CompletedMessage(row.Id, status, row.Attempts, outcome.Error, now);
        }
        // A circuit that refused before any request did not try the partner: that costs no attempt, only time.
        var attempts = Attempts(row, outcome);
        if (attempts >= options.MaxAttempts || now - row.OccurredMs > (long)options.MaxAge.TotalMilliseconds)
        {
            LogDead(logger, row.MessageId, row.Destination, attempts, outcome.Error);
            return new CompletedMessage(row.Id, DeliveryStatus.Dead, attempts, outcome.Error, now); // the lane goes on past a dead letter
        }
        return null;
    }

    private static int Attempts(OutboxRow row, RowOutcome outcome) => row.Attempts + (outcome.Attempted ? 1 : 0);

    /// <summary>Sets a failed message's retry time (backoff, or the open circuit's break) and releases it.</summary>
    private async Task RescheduleAsync(OutboxRow row, RowOutcome outcome, CancellationToken cancellationToken)
    {
        var attempts = Attempts(row, outcome);
        var backoff = outcome.Attempted ? Backoff(attempts) : TimeSpan.Zero;
        var delay = outcome.CircuitOpenFor is { } open && open > backoff ? open : backoff;
        var dueMs = NowMs() + (long)delay.TotalMilliseconds;
        await store.RescheduleAsync(row.Id, owner, attempts, dueMs, outcome.Error!, cancellationToken);
        NoteRetryAt(dueMs);
        LogRetry(logger, row.MessageId, row.Destination, attempts, delay, outcome.Error);
        if (!outcome.Attempted && outcome.RefusedBy is { } refusedBy)
        {
            await WaitForCircuitsAsync(row.Id, refusedBy, cancellationToken);
        }
    }

    /// <summary>Marks a batch with other lanes' (group commit); uncancelled: a stopping replica still records what it delivered.</summary>
    private Task CompleteAsync(IReadOnlyCollection<CompletedMessage> completed) => _marks.MarkAsync([.. completed]);

    private async Task<bool> TryCompleteAsync(IReadOnlyCollection<CompletedMessage> completed)
    {
        try
        {
            await CompleteAsync(completed);
            return true;
        }
        catch (Exception ex) when (ex is StorageUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            LogCompleteFailed(logger, completed.Count, ex);
            return false;
        }
    }

    private async Task ReleaseAsync(IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }
        try
        {
            // Not the caller's token: a stopping replica still hands its unsent claims back.
            await store.ReleaseAsync(ids, owner, CancellationToken.None);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            LogReleaseFailed(logger, ids.Count, ex);
        }
    }

    /// <summary>A final <see cref="Status"/>, or null for "try again later".</summary>
    /// <param name="RefusedBy">Subscriptions whose open circuit refused the message, each with its count of successes before the send.</param>
    private readonly record struct RowOutcome(string? Status, string? Error, bool Attempted, TimeSpan? CircuitOpenFor,
        IReadOnlyList<(string Subscription, long Successes)>? RefusedBy)
    {
        public static RowOutcome Final(string status, string? error) => new(status, error, true, null, null);
    }
}
