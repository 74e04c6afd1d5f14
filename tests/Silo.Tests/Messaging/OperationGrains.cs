using System.Text.Json.Serialization;
using ReturnOps.Runtime;
using ReturnOps.Silo.Messaging;

namespace ReturnOps.Silo.Tests.Messaging;

public sealed class OperationState
{
    public List<string> Boarded { get; set; } = [];
    public HashSet<string> AppliedMessages { get; set; } = [];
}

/// <summary>Receives one-way messages from returnees through the outbox.</summary>
public interface IOperationGrain : IGrainWithStringKey
{
    /// <summary>Records a boarding once per message id, however often it is delivered.</summary>
    Task OnReturneeBoarded(string messageId, string returnee);

    [ReadOnly]
    Task<IReadOnlyList<string>> Boarded();
}

public sealed class OperationGrain(IPersistentState<OperationState> state) : Grain, IOperationGrain
{
    public async Task OnReturneeBoarded(string messageId, string returnee)
    {
        // The de-duplication record and the effect are one state write: both or neither.
        if (!state.State.AppliedMessages.Add(messageId))
        {
            return;
        }
        state.State.Boarded.Add(returnee);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Boarded() => Task.FromResult<IReadOnlyList<string>>(state.State.Boarded);
}

/// <summary>Tells its operation, one way, that it boarded.</summary>
public interface IReturneeGrain : IGrainWithStringKey
{
    Task Board(string operation);
}

public sealed class ReturneeGrain(TimeProvider clock) : Grain, IReturneeGrain
{
    public Task Board(string operation)
    {
        EnqueueMessage(new OutboxMessage($"boarded-{GetPrimaryKeyString()}", Destination.Grain("operation", operation), operation,
            "returnee.boarded", $$"""{"returnee":"{{GetPrimaryKeyString()}}"}""", clock.GetUtcNow()));
        return Task.CompletedTask;
    }
}

[JsonSerializable(typeof(OperationState))]
internal sealed partial class SiloTestsJsonContext : JsonSerializerContext;
