using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Tests.Hosting;

/// <summary>A test-only domain grain whose turns change memory, stage effects, write, race, fail or refuse on demand.</summary>
[Alias("ReturnOps.Tests.ITurnProbeGrain")]
public interface ITurnProbeGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="entry"/>, stages one outbox message per id and the <c>probe_view</c> row, then writes the state.</summary>
    [Alias("Record")]
    Task<IReadOnlyList<string>> Record(string entry, string[] messageIds);

    /// <summary>As <see cref="Record"/>, but another writer moves the row's version on between this turn's read and its write, on every attempt.</summary>
    [Alias("RecordRacedOnEveryAttempt")]
    Task<IReadOnlyList<string>> RecordRacedOnEveryAttempt(string entry, string[] messageIds);

    /// <summary>Stages a message and the <c>probe_view</c> row without writing any state.</summary>
    [Alias("Notify")]
    Task Notify(string messageId);

    /// <summary>Adds <paramref name="entry"/> to memory and stages a message, then fails before writing.</summary>
    [Alias("ChangeThenFail")]
    Task ChangeThenFail(string entry, string messageId);

    /// <summary>Refuses the request before changing anything.</summary>
    [Alias("Refuse")]
    Task Refuse();

    /// <summary>The entries this activation holds in memory.</summary>
    [Alias("Entries")]
    Task<IReadOnlyList<string>> Entries();

    /// <summary>Names the activation that answers: a new one after the old was dropped.</summary>
    [Alias("Activation")]
    Task<Guid> Activation();
}

/// <summary>How often each probe began a recording turn, across activations and silos: one per attempt, replays included.</summary>
public sealed class TurnAttempts
{
    private readonly ConcurrentDictionary<string, int> _byProbe = new(StringComparer.Ordinal);

    public int Of(string probe) => _byProbe.GetValueOrDefault(probe);

    public void Began(string probe) => _byProbe.AddOrUpdate(probe, 1, static (_, n) => n + 1);
}

/// <summary>
/// Its state is a <see cref="FamilyGroupState"/> (a sorted set of strings) because our grain storage serializes only the
/// types of the domain's JSON context; the row (<c>turn-probe/{key}</c>) is its own.
/// </summary>
[GrainType("turn-probe")]
public sealed class TurnProbeGrain(
    [PersistentState("state", GrainsModule.StorageName)] IPersistentState<FamilyGroupState> state,
    IStorageProvider storage,
    TurnAttempts attempts,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    DeactivationWindow window) : DomainGrain, ITurnProbeGrain
{
    public const string ViewTable = "probe_view";

    /// <summary>The read model the probe writes with its state; the test project's own migration.</summary>
    public static Migration ViewMigration { get; } = new("grains-tests", 1, "probe view",
        PostgresSql: "CREATE TABLE probe_view (id text PRIMARY KEY, entries bigint NOT NULL)",
        SqliteSql: "CREATE TABLE probe_view (id TEXT PRIMARY KEY, entries INTEGER NOT NULL) WITHOUT ROWID");

    private readonly Guid _activation = Guid.NewGuid();

    public async Task<IReadOnlyList<string>> Record(string entry, string[] messageIds)
    {
        attempts.Began(GetPrimaryKeyString());
        Stage(entry, messageIds);
        await state.WriteStateAsync();
        return [.. state.State.Members];
    }

    public async Task<IReadOnlyList<string>> RecordRacedOnEveryAttempt(string entry, string[] messageIds)
    {
        attempts.Began(GetPrimaryKeyString());
        Stage(entry, messageIds);
        await using (var bump = storage.DataSource.CreateCommand("UPDATE grain_state SET version = version + 1 WHERE grain_type = @type AND grain_key = @key"))
        {
            AddParameter(bump, "@type", "turn-probe");
            AddParameter(bump, "@key", GetPrimaryKeyString());
            await bump.ExecuteNonQueryAsync();
        }
        await state.WriteStateAsync();
        return [.. state.State.Members];
    }

    public Task Notify(string messageId)
    {
        EnqueueMessage(Message(messageId));
        WriteReadModel(View(state.State.Members.Count));
        return Task.CompletedTask;
    }

    public Task ChangeThenFail(string entry, string messageId)
    {
        Stage(entry, [messageId]);
        throw new InvalidOperationException("The turn failed after changing memory, before writing.");
    }

    public Task Refuse() => throw new DomainRuleException(RuleCode.Validation, "Refused before changing anything.");

    public Task<IReadOnlyList<string>> Entries() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Members]);

    public Task<Guid> Activation() => Task.FromResult(_activation);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        window.WhileDeactivatingAsync(GetPrimaryKeyString());

    private void Stage(string entry, string[] messageIds)
    {
        state.State.Members.Add(entry);
        foreach (var id in messageIds)
        {
            EnqueueMessage(Message(id));
        }
        WriteReadModel(View(state.State.Members.Count));
    }

    private OutboxMessage Message(string id) => new(id, "test-destination", GetPrimaryKeyString(), "probe.recorded", "{}", clock.GetUtcNow());

    private ReadModelUpsert View(int entries) => new(ViewTable, GetPrimaryKeyString(), new Dictionary<string, object?> { ["entries"] = entries });

    private static void AddParameter(System.Data.Common.DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
