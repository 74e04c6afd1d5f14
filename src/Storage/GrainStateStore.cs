using Orleans.Storage;

namespace ReturnOps.Storage;

/// <summary>
/// Grain state rows with their effects (outbox messages, read-model rows) on either database, over ADO.NET's common types:
/// each write is one transaction, its version check then its effects (<see cref="GrainStateCommands"/>). On PostgreSQL a lone
/// write is one batch and the commit, whatever the number of effects; writes of other grains that arrive meanwhile go
/// together in a group commit (<see cref="StateWriteGroup"/>). What differs per database is the provider's
/// (<see cref="IGrainStateDatabase"/>).
/// </summary>
internal sealed class GrainStateStore : IGrainStateStore
{
    private readonly IGrainStateDatabase _database;
    private readonly string _origin;
    private readonly StateWriteGroup? _group;

    /// <param name="origin">Names this process in the change feed.</param>
    /// <param name="groupCommits">
    /// Whether writes that arrive together share a commit: worth it where each commit is a round trip and writers run at once
    /// (PostgreSQL); SQLite's writers take turns at its one write lock anyway.
    /// </param>
    public GrainStateStore(IGrainStateDatabase database, string origin, bool groupCommits)
    {
        _database = database;
        _origin = origin;
        _group = groupCommits ? new StateWriteGroup(database, write => WriteAloneAsync(write, CancellationToken.None), Stored) : null;
    }

    public Task<StoredState> ReadAsync(GrainKey id, CancellationToken cancellationToken) => _database.ReadAsync(async connection =>
    {
        await using var command = StatementBatch.Command(connection, null, GrainStateCommands.Read(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredState(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1))
            : new StoredState(null, 0);
    }, cancellationToken);

    public Task<long> WriteAsync(GrainKey id, long expectedVersion, string? payload, TurnEffects effects, CancellationToken cancellationToken)
    {
        var write = new StateWrite(id, expectedVersion, payload, effects);
        return _group is null ? WriteAloneAsync(write, cancellationToken) : _group.WriteAsync(write);
    }

    public async Task WriteEffectsAsync(TurnEffects effects, CancellationToken cancellationToken)
    {
        if (effects.IsEmpty)
        {
            return;
        }
        await _database.WriteAsync(transaction: true, (connection, tx) =>
            StatementBatch.WriteAsync(connection, tx, [.. GrainStateCommands.Effects(effects)], cancellationToken), cancellationToken);
        RingIfMessages(effects);
    }

    private async Task<long> WriteAloneAsync(StateWrite write, CancellationToken cancellationToken)
    {
        // A lone statement commits by itself; with effects, the write is one transaction, committed only if the check matched.
        var version = await _database.WriteAsync(transaction: !write.Effects.IsEmpty, async (connection, tx) =>
            await GrainStateCommands.RunWriteAsync(connection, tx, write, cancellationToken)
                ? write.ExpectedVersion + 1
                : throw Stale(write), cancellationToken);
        Stored(write, version);
        return version;
    }

    /// <summary>A write whose version check failed: Orleans deactivates the grain, which reads its state anew.</summary>
    internal static InconsistentStateException Stale(StateWrite write) =>
        new($"Grain {write.Id}: stored version is not {write.ExpectedVersion}.");

    /// <summary>After the commit: the dispatcher looks at once if there are messages, and event streams hear of the write.</summary>
    private void Stored(StateWrite write, long version)
    {
        RingIfMessages(write.Effects);
        _database.ChangeFeed.Publish(new StateChange(write.Id, version, _origin));
    }

    private void RingIfMessages(TurnEffects effects)
    {
        if (effects.Messages.Count > 0)
        {
            _database.MessagesStored();
        }
    }
}
