using Microsoft.Extensions.DependencyInjection;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Hosting;

/// <summary>Starts the cluster with the <see cref="TurnProbeGrain"/>'s read model and attempt counter, and reads what it left in the database.</summary>
public abstract class TurnProbeTestBase(SharedPostgres postgres) : DomainTestBase(postgres)
{
    protected TurnAttempts Attempts { get; } = new();

    protected DeactivationWindow Window { get; } = new();

    protected Task StartProbeAsync(string provider) =>
        StartAsync(provider, configure: silo =>
        {
            silo.Services.AddSingleton(Attempts).AddSingleton(Window);
            silo.AddOutgoingGrainCallFilter<ReplayWatch>();
        }, migrations: [TurnProbeGrain.ViewMigration]);

    protected ITurnProbeGrain Probe(string key) => Grains.GetGrain<ITurnProbeGrain>(key);

    protected Task<long> OutboxRows(string messageId) =>
        Storage.ScalarAsync($"SELECT count(*) FROM outbox WHERE message_id = '{messageId}'");

    /// <summary>The entry count the read model shows for <paramref name="key"/>; -1 when it has no row.</summary>
    protected Task<long> ViewEntries(string key) =>
        Storage.ScalarAsync($"SELECT coalesce((SELECT entries FROM probe_view WHERE id = '{key}'), -1)");

    protected Task<long> StoredVersion(string key) =>
        Storage.ScalarAsync($"SELECT version FROM grain_state WHERE grain_type = 'turn-probe' AND grain_key = '{key}'");
}
