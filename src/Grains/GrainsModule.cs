using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.Hosting;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Returnees;
using ReturnOps.Storage;

namespace ReturnOps.Grains;

/// <summary>Everything a silo needs to host the domain grains.</summary>
public static class GrainsModule
{
    /// <summary>The grain storage every domain grain names in <c>[PersistentState]</c>: ours, state and effects in one transaction.</summary>
    public const string StorageName = "returnops";

    /// <summary>The domain's read-model tables, the operations' booking rows, the identification requests' and the reintegration tables.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
        [.. ReadModelSchema.Migrations, .. BookingRows.Migrations, .. ReturneeHolds.Migrations, .. IdentificationSchema.Migrations, .. ReintegrationSchema.Migrations];

    /// <summary>
    /// Registers the domain grains' storage, their call filters, <see cref="GrainsOptions"/> and the domain's clock
    /// (<see cref="TimeProvider.System"/> unless a host registered its own under <see cref="DomainClock.Key"/>).
    /// The host registers the database (<see cref="IStorageProvider"/>) and applies <see cref="Migrations"/>.
    /// </summary>
    public static ISiloBuilder AddReturnOpsGrains(this ISiloBuilder builder, Action<GrainsOptions>? configure = null)
    {
        var options = new GrainsOptions();
        configure?.Invoke(options);
        var services = builder.Services;
        services.TryAddSingleton(options);
        services.TryAddKeyedSingleton(DomainClock.Key, TimeProvider.System);
        services.TryAddSingleton<StagedEffects>();
        services.AddGrainStorage(StorageName, static (sp, _) => GrainStorage(sp));
        services.AddGrainStorage(ReturneeStateStorage.Name, static (sp, _) =>
            new ReturneeStateStorage(sp.GetRequiredService<IStorageProvider>(), GrainStorage(sp)));
        builder.AddIncomingGrainCallFilter<TurnFilter>();
        builder.AddOutgoingGrainCallFilter<ConflictReplayFilter>();
        return builder;
    }

    private static GrainStateStorage GrainStorage(IServiceProvider services) =>
        new(services.GetRequiredService<IStorageProvider>(), services.GetRequiredService<StagedEffects>(), GrainsJsonContext.Default.Options);

    /// <summary>What an Orleans client of the domain grains needs (a gateway in cluster mode): the conflict replay.</summary>
    public static IClientBuilder AddReturnOpsGrainClient(this IClientBuilder builder) =>
        builder.AddOutgoingGrainCallFilter<ConflictReplayFilter>();
}
