using Orleans.Storage;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Hosting;

/// <summary>
/// One grain's group commit (issues 13 and 22). A decision changes the grain's memory in one synchronous step and hands what
/// it produced besides (<typeparamref name="TEffects"/>: messages, audit rows) to <see cref="Commit"/>. One write at a time
/// stores the memory of its moment with the effects of every decision waiting for it, through
/// <see cref="CommitGroup{TWrite, TResult}"/>, the group commit the store and the gateway use too: decisions made while a
/// write is in flight share the next one, and each caller returns once the write holding its decision has committed.
/// <para>
/// Decisions may interleave (<c>[AlwaysInterleave]</c>): their awaits overlap, and each decides on the memory it finds. Every
/// other call runs <see cref="Exclusively"/>: it waits until no write is in flight and holds decisions back
/// (<see cref="Settled"/>) while it runs, so it sees and changes only stored state.
/// </para>
/// <para>
/// A write that fails leaves memory ahead of storage. It fails its decisions and every one queued after it, nothing more is
/// decided or written here, and <paramref name="broke"/> is told (the grain drops its activation; the next reads storage).
/// </para>
/// </summary>
/// <param name="write">Stores the grain's memory with the effects of the decisions given, in one transaction.</param>
/// <param name="broke">Told once, when a write or an exclusive call failed and memory may hold what storage does not.</param>
public sealed class DecisionCommits<TEffects>(Func<IReadOnlyList<TEffects>, Task> write, Action<Exception> broke)
{
    /// <summary>Bounds one write's statement; a rush on one operation is a few hundred decisions at most.</summary>
    private const int MaxDecisionsPerWrite = 1024;

    private CommitGroup<TEffects, bool>? _group;
    private CommitGroup<TEffects, bool> Group => _group ??= new(WriteGroupAsync, MaxDecisionsPerWrite, gather: true);

    /// <summary>The last decision's commit: once it is done, so are all before it (groups commit in order).</summary>
    private Task _lastCommit = Task.CompletedTask;

    /// <summary>Held by every exclusive call while it waits and runs; decisions wait for it.</summary>
    private TaskCompletionSource? _gate;
    private int _gateHolders;

    /// <summary>Memory may be ahead of storage: nothing more is decided or written.</summary>
    private Exception? _broken;

    /// <summary>
    /// Queues a decision already made in memory, with its effects; completes when the write holding it has committed, or
    /// throws a retryable failure (<see cref="StorageUnavailableException"/>, <see cref="InconsistentStateException"/>)
    /// if it was not stored. Call it in the same synchronous step as the decision.
    /// </summary>
    public Task Commit(TEffects effects)
    {
        ThrowIfBroken();
        var commit = Group.WriteAsync(effects, CancellationToken.None);
        _lastCommit = commit;
        return commit;
    }

    /// <summary>Waits while an exclusive call runs, then throws if the grain is broken: a decision is made only after this.</summary>
    public async Task Settled()
    {
        while (_gate is { } gate)
        {
            await gate.Task;
        }
        ThrowIfBroken();
    }

    /// <summary>
    /// Runs a call that is not a decision once every decision queued before it is stored, holding new decisions back until
    /// it ends. A call that fails other than by a refusal may have changed memory it did not store: the grain is broken.
    /// </summary>
    public async Task Exclusively(Func<Task> call)
    {
        HoldGate();
        try
        {
            while (!_lastCommit.IsCompleted)
            {
                // The decisions' callers get their failures; here only the end of the writes counts.
                await Task.WhenAny(_lastCommit);
            }
            ThrowIfBroken();
            await call();
        }
        catch (Exception ex) when (ex is not RefusalException)
        {
            Break(ex);
            throw;
        }
        finally
        {
            ReleaseGate();
        }
    }

    private async Task<IReadOnlyList<bool>> WriteGroupAsync(IReadOnlyList<TEffects> decisions)
    {
        if (_broken is { } reason)
        {
            // Decided on memory that holds a failed write's decisions: writing it now would store them after all.
            throw new StorageUnavailableException("A decision made before this one could not be stored; nothing of this one was kept.", reason);
        }
        try
        {
            await write(decisions);
        }
        catch (Exception ex)
        {
            Break(ex);
            throw ex as StorageUnavailableException ?? ex as InconsistentStateException as Exception
                ?? new StorageUnavailableException("The decisions could not be stored; nothing of them was kept.", ex);
        }
        return [.. decisions.Select(static _ => true)];
    }

    private void Break(Exception reason)
    {
        if (_broken is null)
        {
            _broken = reason;
            broke(reason);
        }
    }

    private void ThrowIfBroken()
    {
        if (_broken is { } reason)
        {
            throw new StorageUnavailableException("The grain is reloading after a failed write; try again.", reason);
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
}
