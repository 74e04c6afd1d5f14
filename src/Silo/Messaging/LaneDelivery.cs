using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging;

/// <summary>A lane's claimed rows in order, the end of their lease, and the subscriptions of the countries they go to.</summary>
internal sealed record Lane(IReadOnlyList<OutboxRow> Rows, long LeaseUntilMs, IReadOnlyDictionary<string, IReadOnlyList<SubscriptionTarget>> Targets);

/// <summary>Delivering a claimed lane in order, and writing what its messages came to: the marks, the retries, the releases.</summary>
internal sealed partial class LaneDelivery(IOutboxStore store, OutboxMarks marks, MessageRouter router, CircuitWaiters circuits,
    RetryBackoff backoff, NextClaim next, MessagingOptions options, TimeProvider clock, string owner, ILogger logger)
{
    /// <summary>
    /// Sends a lane's claimed messages one after another: each only after the one before it was answered (acknowledged by
    /// every matching subscription, or ended as unrouted or dead). What they came to is kept in memory and written for the
    /// whole batch when the lane stops (at its end, at its first failure, or when the replica stops), in one statement with
    /// the batches of the other lanes that stop meanwhile (<see cref="OutboxMarks"/>). <paramref name="sent"/> is called when
    /// the lane stops sending, before that mark.
    /// </summary>
    public async Task DeliverAsync(Lane lane, Action sent, CancellationToken cancellationToken)
    {
        var completed = new List<CompletedMessage>(lane.Rows.Count);
        var unsentFrom = 0; // the first row neither completed nor rescheduled
        try
        {
            // Stop early enough that a claim never expires while this replica still sends under it.
            var stopAt = lane.LeaseUntilMs - (long)(options.AttemptTimeout.TotalMilliseconds * (options.InProcessRetries + 2));
            for (; unsentFrom < lane.Rows.Count && NowMs() < stopAt; unsentFrom++)
            {
                var row = lane.Rows[unsentFrom];
                var outcome = await router.SendAsync(row, lane.Targets, cancellationToken);
                if (Completion(row, outcome, NowMs()) is { } done)
                {
                    completed.Add(done);
                    continue;
                }
                // The lane stops at its first failure: what was answered before it is marked first, then the failed
                // message waits for its retry time (as the lane's first pending message it holds the rest back).
                await marks.MarkAsync([.. completed]);
                completed.Clear();
                await RescheduleAsync(row, outcome, cancellationToken);
                unsentFrom++;
                break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (StoreFailure.Is(ex))
        {
            LogLaneFailed(logger, lane.Rows[0].Destination, lane.Rows[0].Lane, ex);
        }
        sent();
        // Whatever stopped the lane, what it sent is marked and only what it did not send is handed back. If the mark
        // fails, those messages are handed back too and sent again under the same ids (at least once).
        var unsent = lane.Rows.Skip(unsentFrom).Select(r => r.Id);
        if (!await TryMarkAsync(completed))
        {
            unsent = completed.Select(c => c.Id).Concat(unsent);
        }
        await ReleaseAsync([.. unsent]);
    }

    /// <summary>Hands claimed messages back untouched; uncancelled: a stopping replica still hands its unsent claims back.</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }
        try
        {
            await store.ReleaseAsync(ids, owner, CancellationToken.None);
        }
        catch (Exception ex) when (StoreFailure.Is(ex))
        {
            LogReleaseFailed(logger, ids.Count, ex);
        }
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
        var wait = outcome.Attempted ? backoff.After(attempts) : TimeSpan.Zero;
        var delay = outcome.CircuitOpenFor is { } open && open > wait ? open : wait;
        var dueMs = NowMs() + (long)delay.TotalMilliseconds;
        await store.RescheduleAsync(row.Id, owner, attempts, dueMs, outcome.Error!, cancellationToken);
        next.RetryDueAt(dueMs);
        LogRetry(logger, row.MessageId, row.Destination, attempts, delay, outcome.Error);
        if (!outcome.Attempted && outcome.RefusedBy is { } refusedBy)
        {
            await circuits.WaitAsync(row.Id, refusedBy, cancellationToken);
        }
    }

    private async Task<bool> TryMarkAsync(IReadOnlyCollection<CompletedMessage> completed)
    {
        try
        {
            await marks.MarkAsync(completed);
            return true;
        }
        catch (Exception ex) when (StoreFailure.Is(ex))
        {
            LogCompleteFailed(logger, completed.Count, ex);
            return false;
        }
    }

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} ({Type}) to {Destination}: {Status}")]
    private static partial void LogCompleted(ILogger logger, string messageId, string type, string destination, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} to {Destination} is dead after {Attempts} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, string messageId, string destination, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} to {Destination} failed (attempt {Attempts}), next try in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, string messageId, string destination, int attempts, TimeSpan delay, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lane {Destination}/{Lane} stopped; its claims are released or expire")]
    private static partial void LogLaneFailed(ILogger logger, string destination, string lane, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark {Count} sent messages; they are sent again under the same ids")]
    private static partial void LogCompleteFailed(ILogger logger, int count, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release {Count} claimed messages; they are free again when the claim expires")]
    private static partial void LogReleaseFailed(ILogger logger, int count, Exception ex);
}
