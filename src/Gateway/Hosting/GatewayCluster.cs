using ReturnOps.Gateway.Events;
using ReturnOps.Gateway.Observability;
using ReturnOps.Silo.Hosting;

namespace ReturnOps.Gateway.Hosting;

/// <summary>How the gateway reaches grains: through a silo of its own, or as a client of a cluster of silo replicas.</summary>
public static class GatewayCluster
{
    /// <summary>
    /// Embedded (<see cref="GatewayOptions.HostsSilo"/>, the default): a co-hosted silo with the outbox dispatcher, localhost
    /// clustering unless <c>Cluster:Membership=AdoNet</c>. Otherwise an Orleans client of silos found in PostgreSQL's
    /// membership table. Either way <see cref="IGrainFactory"/> is in DI and the database is migrated with the gateway's tables;
    /// event streams hear of changes through the database's change feed (<see cref="OperationChanges"/>).
    /// </summary>
    public static WebApplicationBuilder AddGrainAccess(this WebApplicationBuilder builder, GatewayOptions gateway)
    {
        builder.Services.AddSingleton<OperationChanges>();
        if (gateway.HostsSilo)
        {
            builder.AddReturnOpsSilo(GatewaySchema.Migrations);
            builder.Services.AddSingleton<IClusterReadiness, CoHostedSiloReadiness>();
        }
        else
        {
            builder.AddReturnOpsClient(GatewaySchema.Migrations);
            builder.Services.AddSingleton<IClusterReadiness, ClusterClientReadiness>();
            // A co-hosted silo has no connection to lose; a client's calls through a closed one would wait for their timeout.
            builder.Services.AddSingleton<SiloConnectionWatch>();
            builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<SiloConnectionWatch>());
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddSingleton<IOutgoingGrainCallFilter, RetriableCallsOnSiloLoss>();
        }
        return builder;
    }
}
