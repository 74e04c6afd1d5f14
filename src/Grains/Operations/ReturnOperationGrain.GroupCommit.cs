using Orleans.Concurrency;
using Orleans.Storage;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Group commit (issue 13). <see cref="RequestBooking"/> interleaves (<c>[AlwaysInterleave]</c>): its awaits (assessing and
/// reserving returnees) overlap with other bookings', and each booking is then decided in one synchronous step, in the
/// order the decisions come, and joins the pending batch. One write at a time stores a batch; the bookings decided
/// meanwhile form the next. Every other call waits until no write is in flight and holds new decisions back while it
/// runs (the gate), so it sees and changes only stored state. A failed write fails its batch and every booking decided
/// after it, and drops the activation: the next call reads storage, never memory that storage does not hold.
/// </summary>
public sealed partial class ReturnOperationGrain : IIncomingGrainCallFilter
{
    /// <summary>Decided, waiting for the next write.</summary>
    private BookingBatch? _pending;

    /// <summary>The write loop, while a write is in flight.</summary>
    private Task? _committing;

    /// <summary>Decided bookings not yet stored, by id: a retry of one is answered when its batch is stored.</summary>
    private readonly Dictionary<string, BookingBatch> _unstored = new(StringComparer.Ordinal);

    /// <summary>Decided cancellations not yet stored, by booking id: a retry of one is answered when its batch is stored.</summary>
    private readonly Dictionary<string, BookingBatch> _cancelling = new(StringComparer.Ordinal);

    /// <summary>Held by every call that is not a booking, while it waits and runs; decisions wait for it.</summary>
    private TaskCompletionSource? _gate;
    private int _gateHolders;

    /// <summary>Memory may be ahead of storage: nothing more is decided until the activation is gone.</summary>
    private Exception? _broken;

    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: false))
        {
            await context.Invoke();
            return;
        }
        HoldGate();
        try
        {
            while (_committing is { } commit)
            {
                await commit;
            }
            ThrowIfBroken();
            await context.Invoke();
        }
        catch (Exception ex) when (ex is not RefusalException)
        {
            // The call may have changed memory it did not store (TurnFilter drops the activation): no booking may build on it.
            _broken ??= ex;
            throw;
        }
        finally
        {
            ReleaseGate();
        }
    }

    /// <summary>Waits while another call holds the gate: a booking is decided only on state no other call is changing.</summary>
    private async Task PassGate()
    {
        while (_gate is { } gate)
        {
            await gate.Task;
        }
    }

    private void HoldGate()
    {
        if (_gateHolders++ == 0)
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void ReleaseGate()
    {
        if (--_gateHolders == 0 && _gate is { } gate)
        {
            _gate = null;
            gate.SetResult();
        }
    }

    /// <summary>Adds a decided booking to the pending batch, with its messages, starting a write if none is in flight.</summary>
    private BookingBatch Enlist(string bookingId, BookingDecision decision)
    {
        var batch = Join(decision);
        batch.BookingIds.Add(bookingId);
        _unstored[bookingId] = batch;
        return batch;
    }

    /// <summary>Adds the decided cancellation of <paramref name="bookingId"/> to the pending batch.</summary>
    private BookingBatch EnlistCancellation(string bookingId, BookingDecision decision)
    {
        var batch = Join(decision);
        batch.Cancelled.Add(bookingId);
        _cancelling[bookingId] = batch;
        return batch;
    }

    /// <summary>The decision's messages join the pending batch, and a write starts if none is in flight.</summary>
    private BookingBatch Join(BookingDecision decision)
    {
        var batch = Join();
        batch.Messages.AddRange(decision.Notices.Select(n => Message(n.Destination, n.Body)));
        return batch;
    }

    /// <summary>The pending batch, with a write started if none is in flight.</summary>
    private BookingBatch Join()
    {
        var batch = _pending ??= new BookingBatch();
        _committing ??= CommitLoop();
        return batch;
    }

    private async Task CommitLoop()
    {
        // The bookings whose assessments are already back decide first and join this write.
        await Task.Yield();
        while (_pending is { } batch)
        {
            _pending = null;
            try
            {
                batch.Messages.ForEach(EnqueueMessage);
                batch.Rows.ForEach(WriteReadModel);
                await Persist();
            }
            catch (Exception ex)
            {
                Break(batch, ex);
                break;
            }
            foreach (var id in batch.BookingIds)
            {
                _unstored.Remove(id);
            }
            batch.Cancelled.ForEach(id => _cancelling.Remove(id));
            batch.Stored();
        }
        _committing = null;
    }

    /// <summary>
    /// The write failed: memory holds bookings storage does not. Their callers and those decided after them fail (they may
    /// retry with the same booking id), nothing more is decided here, and the activation goes; the next one reads storage.
    /// </summary>
    private void Break(BookingBatch batch, Exception reason)
    {
        _broken = reason;
        DiscardStagedEffects();
        var retryable = reason as StorageUnavailableException ?? reason as InconsistentStateException as Exception
            ?? new StorageUnavailableException("The operation's bookings could not be stored; nothing of them was kept.", reason);
        batch.Failed(retryable);
        if (_pending is { } later)
        {
            _pending = null;
            later.Failed(new StorageUnavailableException("A booking decided before this one could not be stored; nothing of this one was kept.", reason));
        }
        GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError,
            $"A booking batch was not stored; the next call reads storage. {reason.GetType().Name}: {reason.Message}"));
    }

    private void ThrowIfBroken()
    {
        if (_broken is { } reason)
        {
            throw new StorageUnavailableException("The operation is reloading after a failed write; try again.", reason);
        }
    }
}
