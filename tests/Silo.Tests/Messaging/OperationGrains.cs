using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Runtime.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Messaging;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Tests.Messaging;

public sealed class OperationState
{
    public List<string> Boarded { get; set; } = [];
    public HashSet<string> AppliedMessages { get; set; } = [];
}

/// <summary>Receives one-way messages from returnees through the outbox.</summary>
[Alias("ReturnOps.Silo.Tests.IOperationGrain")]
public interface IOperationGrain : IGrainWithStringKey
{
    /// <summary>Records a boarding once per message id, however often it is delivered.</summary>
    [Alias("OnReturneeBoarded")]
    Task OnReturneeBoarded(string messageId, string returnee);

    /// <summary>The returnees boarded so far, in the order their messages were applied.</summary>
    [ReadOnly]
    [Alias("Boarded")]
    Task<IReadOnlyList<string>> Boarded();
}

[GrainType("silo-tests-operation")]
public sealed class OperationGrain([PersistentState("state", SiloTestGrains.StorageName)] IPersistentState<OperationState> state)
    : DomainGrain, IOperationGrain
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
[Alias("ReturnOps.Silo.Tests.IReturneeGrain")]
public interface IReturneeGrain : IGrainWithStringKey
{
    /// <summary>Writes a <c>returnee.boarded</c> message to the operation's grain route.</summary>
    [Alias("Board")]
    Task Board(string operation);
}

[GrainType("silo-tests-returnee")]
public sealed class ReturneeGrain([FromKeyedServices(DomainClock.Key)] TimeProvider clock) : DomainGrain, IReturneeGrain
{
    public Task Board(string operation)
    {
        EnqueueMessage(new OutboxMessage($"boarded-{GetPrimaryKeyString()}", Destination.Grain("operation", operation), operation,
            "returnee.boarded", $$"""{"returnee":"{{GetPrimaryKeyString()}}"}""", clock.GetUtcNow()));
        return Task.CompletedTask;
    }
}

/// <summary>The test grains' storage: ours (state and effects in one transaction), with this assembly's JSON context.</summary>
public static class SiloTestGrains
{
    public const string StorageName = "silo-tests";

    public static ISiloBuilder AddSiloTestGrains(this ISiloBuilder silo)
    {
        silo.Services.AddGrainStorage(StorageName, static (sp, _) =>
            new GrainStateStorage(sp.GetRequiredService<IStorageProvider>(), sp.GetRequiredService<StagedEffects>(), SiloTestsJsonContext.Default.Options));
        return silo;
    }
}

[JsonSerializable(typeof(OperationState))]
internal sealed partial class SiloTestsJsonContext : JsonSerializerContext;
