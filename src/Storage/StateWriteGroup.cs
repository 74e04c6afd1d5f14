using System.Data.Common;
using System.Runtime.ExceptionServices;
using Orleans.Storage;

namespace ReturnOps.Storage;

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
/// and each write is tried again alone, so that only the one at fault fails. A lone write goes as before. The statements
/// are the store's (<see cref="GrainStateCommands"/>); the connection, its transaction and its failures are the database's.
/// </summary>
internal sealed class StateWriteGroup
{
    /// <summary>Enough to share a commit among a rush's writes, few enough that one batch stays small.</summary>
    public const int MaxWrites = 256;

    private readonly IGrainStateDatabase _database;
    private readonly Func<StateWrite, Task<long>> _writeAlone;
    private readonly Action<StateWrite, long> _stored;
    private readonly CommitGroup<StateWrite, Outcome> _group;

    /// <summary>A write's own result in its group: the new version, or why it failed.</summary>
    private sealed record Outcome(long Version, ExceptionDispatchInfo? Failure);

    public StateWriteGroup(IGrainStateDatabase database, Func<StateWrite, Task<long>> writeAlone, Action<StateWrite, long> stored)
    {
        _database = database;
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
            matched = await _database.WriteAsync(transaction: true, (connection, tx) => StoreAsync(connection, tx, group), CancellationToken.None);
        }
        catch (DbException)
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
                outcomes[i] = Failed(GrainStateStore.Stale(write));
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

    /// <summary>The version checks, then the effects of the writes that passed, in the group's transaction; true where a check passed.</summary>
    private static async Task<bool[]> StoreAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<StateWrite> group)
    {
        var checks = await StatementBatch.WriteAsync(connection, transaction, [.. group.Select(GrainStateCommands.State)], CancellationToken.None);
        var matched = checks.Select(rows => rows == 1).ToArray();
        await StatementBatch.WriteAsync(connection, transaction,
            [.. GrainStateCommands.Effects([.. group.Where((_, i) => matched[i]).Select(write => write.Effects)])], CancellationToken.None);
        return matched;
    }
}
