namespace ReturnOps.Storage;

/// <summary>
/// What a turn produced besides its state: outbox messages and read-model writes. They are written
/// with the next state write of the turn, or on their own when the turn ends without one, and
/// discarded if the turn fails.
/// </summary>
public sealed class TurnEffects
{
    private readonly List<OutboxMessage> _messages = [];
    private readonly List<ReadModelWrite> _readModel = [];

    public IReadOnlyList<OutboxMessage> Messages => _messages;
    public IReadOnlyList<ReadModelWrite> ReadModel => _readModel;
    public bool IsEmpty => _messages.Count == 0 && _readModel.Count == 0;

    public void Add(OutboxMessage message) => _messages.Add(message);
    public void Add(ReadModelWrite write) => _readModel.Add(write);

    /// <summary>Adds everything <paramref name="other"/> holds, after what is here.</summary>
    public void AddRange(TurnEffects other)
    {
        _messages.AddRange(other._messages);
        _readModel.AddRange(other._readModel);
    }

    public void AddRange(IEnumerable<ReadModelWrite> writes) => _readModel.AddRange(writes);

    /// <summary>Nothing to write; never added to (shared).</summary>
    public static TurnEffects None { get; } = new();
}
