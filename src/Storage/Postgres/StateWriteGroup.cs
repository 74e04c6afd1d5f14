using Npgsql;
using Orleans.Storage;

namespace ReturnOps.Storage.Postgres;

/// <summary>One grain's write waiting for its group: the state, its version check, its effects, and its caller.</summary>
internal sealed record StateWrite(GrainKey Id, long ExpectedVersion, string? Payload, TurnEffects Effects)
{
    public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit across grains (issue 13). In a booking rush every booking reserves its returnees, and each reservation is
/// its own grain's write: 2.4 transactions per booking, each with its round trips and its commit. Writes that arrive while
/// a group is being stored wait and go together in the next one: the version checks in one batch, then the effects of
/// the writes whose check matched in a second, then one commit. Each write keeps its own outcome: a stale version fails
/// that write alone (<see cref="InconsistentStateException"/>) and writes none of its effects; the others commit. If the
/// group's transaction fails for any other reason (one write's effect breaks a constraint, a deadlock), nothing of it was
/// stored and each write is tried again alone, so that only the one at fault fails. A lone write goes as before.
/// </summary>
internal sealed class StateWriteGroup(PostgresStorageProvider provider, Func<StateWrite, Task<long>> writeAlone, Action<StateWrite, long> stored)
{
    /// <summary>Enough to share a commit among a rush's writes, few enough that one batch stays small.</summary>
    public const int MaxWrites = 256;

    private readonly Lock _lock = new();
    private List<StateWrite> _waiting = [];
    private bool _flushing;

    public Task<long> WriteAsync(StateWrite write)
    {
        lock (_lock)
        {
            _waiting.Add(write);
            if (_flushing)
            {
                return write.Done.Task;
            }
            _flushing = true;
        }
        // On the thread pool, never on the calling grain's scheduler: the loop serves every grain of the silo.
        _ = Task.Run(FlushLoop);
        return write.Done.Task;
    }

    private async Task FlushLoop()
    {
        while (true)
        {
            List<StateWrite> group;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _flushing = false;
                    return;
                }
                if (_waiting.Count <= MaxWrites)
                {
                    group = _waiting;
                    _waiting = [];
                }
                else
                {
                    group = _waiting[..MaxWrites];
                    _waiting.RemoveRange(0, MaxWrites);
                }
            }
            try
            {
                await (group.Count == 1 ? Alone(group[0]) : Together(group));
            }
            catch (Exception ex)
            {
                // Whatever went wrong, the loop goes on (it serves every grain of the silo) and no writer waits forever.
                group.ForEach(w => w.Done.TrySetException(ex));
            }
        }
    }

    private async Task Alone(StateWrite write)
    {
        try
        {
            write.Done.SetResult(await writeAlone(write));
        }
        catch (Exception ex)
        {
            write.Done.SetException(ex);
        }
    }

    private async Task Together(List<StateWrite> group)
    {
        bool[] matched;
        try
        {
            matched = await provider.Guard(() => StoreAsync(group));
        }
        catch (StorageUnavailableException ex)
        {
            // The server is gone (or the commit's outcome is unknown): every write of the group learns it, as it would alone.
            group.ForEach(w => w.Done.SetException(ex));
            return;
        }
        catch (Exception ex) when (ex is NpgsqlException)
        {
            // Nothing of the group was stored: alone, each write succeeds or fails on its own account.
            await Task.WhenAll(group.Select(Alone));
            return;
        }
        catch (Exception ex)
        {
            // Not the database's answer (the provider shutting down, say): the group was not stored, and its writers learn why.
            group.ForEach(w => w.Done.TrySetException(ex));
            return;
        }
        for (var i = 0; i < group.Count; i++)
        {
            var write = group[i];
            if (matched[i])
            {
                var version = write.ExpectedVersion + 1;
                stored(write, version);
                write.Done.SetResult(version);
            }
            else
            {
                write.Done.SetException(new InconsistentStateException($"Grain {write.Id}: stored version is not {write.ExpectedVersion}."));
            }
        }
    }

    /// <summary>The version checks, then the effects of the writes that passed, then one commit; true where a check passed.</summary>
    private async Task<bool[]> StoreAsync(List<StateWrite> group)
    {
        await using var connection = await provider.Npgsql.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var states = new NpgsqlBatch(connection, tx);
        foreach (var write in group)
        {
            states.BatchCommands.Add(PostgresGrainStateStore.StateCommand(write.Id, write.ExpectedVersion, write.Payload));
        }
        await states.ExecuteNonQueryAsync();
        var matched = new bool[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            matched[i] = states.BatchCommands[i].RecordsAffected == 1;
        }
        await using var effects = new NpgsqlBatch(connection, tx);
        for (var i = 0; i < group.Count; i++)
        {
            if (matched[i])
            {
                PostgresGrainStateStore.AddEffects(effects, group[i].Effects);
            }
        }
        if (effects.BatchCommands.Count > 0)
        {
            await effects.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return matched;
    }
}
