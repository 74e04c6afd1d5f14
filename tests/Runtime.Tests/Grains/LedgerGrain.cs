using System.Globalization;

namespace ReturnOps.Runtime.Tests.Grains;

public sealed class LedgerState
{
    public int Entries { get; set; }
}

/// <summary>A grain whose turns write state, outbox messages and read-model rows together.</summary>
public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>Records an entry with one outbox message per id and a read-model row.</summary>
    Task Record(string[] messageIds);

    /// <summary>Stages messages without changing state; they are written when the turn ends.</summary>
    Task Notify(string messageId);

    /// <summary>Stages a message, then fails before writing.</summary>
    Task RecordThenFail(string messageId);

    [ReadOnly]
    Task<int> Entries();

    /// <summary>Clears the state.</summary>
    Task Clear();
}

public sealed class LedgerGrain(IPersistentState<LedgerState> state, TimeProvider clock) : Grain, ILedgerGrain
{
    public async Task Record(string[] messageIds)
    {
        state.State.Entries++;
        foreach (var id in messageIds)
        {
            EnqueueMessage(new OutboxMessage(id, "test-destination", GetPrimaryKeyString(), "ledger.recorded", "{}", clock.GetUtcNow()));
        }
        WriteReadModel(new ReadModelUpsert("ledger_view", GetPrimaryKeyString(), new Dictionary<string, object?>
        {
            ["entries"] = state.State.Entries,
            ["label"] = "entries: " + state.State.Entries.ToString(CultureInfo.InvariantCulture),
        }));
        await state.WriteStateAsync();
    }

    public Task Notify(string messageId)
    {
        EnqueueMessage(new OutboxMessage(messageId, "test-destination", GetPrimaryKeyString(), "ledger.notified", "{}", clock.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task RecordThenFail(string messageId)
    {
        EnqueueMessage(new OutboxMessage(messageId, "test-destination", GetPrimaryKeyString(), "ledger.recorded", "{}", clock.GetUtcNow()));
        throw new InvalidOperationException("The turn failed before writing.");
    }

    public Task<int> Entries() => Task.FromResult(state.State.Entries);

    public Task Clear() => state.ClearStateAsync();
}
