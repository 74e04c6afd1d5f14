using System.Runtime.ExceptionServices;
using Npgsql;
using Orleans.Storage;

namespace ReturnOps.Storage.Postgres;

/// <summary>One grain's write: the state, its version check and its effects.</summary>
internal sealed record StateWrite(GrainKey Id, long ExpectedVersion, string? Payload, TurnEffects Effects);

/// <summary>
/// Group commit across grains (issue 13). In a booking rush every booking reserves its returnees, and each reservation is
/// its own grain's write: 2.4 transactions per booking, each with its round trips and its commit. Writes that arrive while
/// a group is being stored wait and go together in the next one (<see cref="CommitGroup{TWrite, TResult}"/>): the version
/// checks in one batch, then the effects of the writes whose check matched in a second, then one commit. Unlike the
/// groups that stand or fall together, each write keeps its own outcome: a stale version fails that write alone
/// (<see cref="InconsistentStateException"/>) and writes none of its effects; the others commit. If the group's
/// transaction fails for any other reason (one write's effect breaks a constraint, a deadlock), nothing of it was stored
/// and each write is tried again alone, so that only the one at fault fails. A lone write goes as before.
/// </summary>
internal sealed class StateWriteGroup
{
    /// <summary>Enough to share a commit among a rush's writes, few enough that one batch stays small.</summary>
    public const int MaxWrites = 256;

    private readonly PostgresStorageProvider _provider;
    private readonly Func<StateWrite, Task<long>> _writeAlone;
    private readonly Action<StateWrite, long> _stored;
    private readonly CommitGroup<StateWrite, Outcome> _group;

    /// <summary>A write's own result in its group: the new version, or why it failed.</summary>
    private sealed record Outcome(long Version, ExceptionDispatchInfo? Failure);

    public StateWriteGroup(PostgresStorageProvider provider, Func<StateWrite, Task<long>> writeAlone, Action<StateWrite, long> stored)
    {
        _provider = provider;
        _writeAlone = writeAlone;
        _stored = stored;
        _group = new CommitGroup<StateWrite, Outcome>(WriteGroupAsync, MaxWrites);
    }

    public async Task<long> WriteAsync(StateWrite write)
    {
        var outcome = await _group.WriteAsync(write, CancellationToken.None);
        outcome.Failure?.Throw();
        return outcome.Version;
    }

    private async Task<IReadOnlyList<Outcome>> WriteGroupAsync(IReadOnlyList<StateWrite> group)
    {
        if (group.Count == 1)
        {
            return [await AloneAsync(group[0])];
        }
        bool[] matched;
        try
        {
            matched = await _provider.Guard(() => StoreAsync(group));
        }
        catch (Exception ex) when (ex is NpgsqlException)
        {
            // Nothing of the group was stored: alone, each write succeeds or fails on its own account.
            return await Task.WhenAll(group.Select(AloneAsync));
        }
        // The server gone, or a commit whose outcome is unknown, fails the whole group (CommitGroup), as it would each alone.
        var outcomes = new Outcome[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var write = group[i];
            if (matched[i])
            {
                var version = write.ExpectedVersion + 1;
                _stored(write, version);
                outcomes[i] = new Outcome(version, null);
            }
            else
            {
                outcomes[i] = Failed(new InconsistentStateException($"Grain {write.Id}: stored version is not {write.ExpectedVersion}."));
            }
        }
        return outcomes;
    }

    private async Task<Outcome> AloneAsync(StateWrite write)
    {
        try
        {
            return new Outcome(await _writeAlone(write), null);
        }
        catch (Exception ex)
        {
            // Not swallowed: the write's caller gets it, with its stack, from WriteAsync.
            return Failed(ex);
        }
    }

    private static Outcome Failed(Exception ex) => new(0, ExceptionDispatchInfo.Capture(ex));

    /// <summary>The version checks, then the effects of the writes that passed, then one commit; true where a check passed.</summary>
    private async Task<bool[]> StoreAsync(IReadOnlyList<StateWrite> group)
    {
        await using var connection = await _provider.Npgsql.OpenConnectionAsync();
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
