using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;
using ReturnOps.Grains;
using ReturnOps.Grains.Hosting;
using ReturnOps.Silo.Messaging;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Hosting;

/// <summary>How a process of ReturnOps joins the platform: as a silo (grains, reminders, dispatcher) or as a client of one.</summary>
public static class SiloHosting
{
    /// <summary>Configuration section bound to <see cref="MessagingOptions"/>.</summary>
    public const string MessagingSection = "Messaging";

    /// <summary>
    /// An Orleans silo with the domain grains over <c>Storage:*</c>: localhost clustering (embedded) or ADO.NET clustering on
    /// PostgreSQL (<see cref="ClusterSettings"/>), Orleans' reminders in the same database, messaging with the domain's grain
    /// routes, and the outbox dispatcher unless <see cref="SiloOptions.Dispatcher"/> is off. <paramref name="hostMigrations"/>
    /// adds a host's own tables; <paramref name="configure"/> a host's own silo settings (tests).
    /// </summary>
    public static IHostApplicationBuilder AddReturnOpsSilo(this IHostApplicationBuilder builder, IEnumerable<Migration>? hostMigrations = null,
        Action<ISiloBuilder>? configure = null)
    {
        var configuration = builder.Configuration;
        var storage = StorageSettings.From(configuration);
        var cluster = ClusterSettings.From(configuration);
        var silo = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        if (cluster.IsAdoNet && !storage.IsPostgres)
        {
            throw new InvalidOperationException("Cluster:Membership=AdoNet needs Storage:Provider=Postgres: silos meet in PostgreSQL's membership table.");
        }
        var services = builder.Services;
        services.AddSingleton(silo);
        services.AddSingleton(cluster);
        services.AddReturnOpsDatabase(storage, silo.ReplicaName, [.. MessagingSchema.Migrations, .. GrainsModule.Migrations, .. hostMigrations ?? []]);

        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            orleans.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = silo.ReplicaName);
            orleans.Configure<ClusterMembershipOptions>(cluster.ApplyTo);
            if (cluster.IsAdoNet)
            {
                orleans.UseAdoNetClustering(o =>
                {
                    o.Invariant = storage.OrleansInvariant;
                    o.ConnectionString = storage.ConnectionString;
                });
                orleans.ConfigureClusterEndpoints(cluster);
            }
            else
            {
                orleans.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }
            orleans.UseAdoNetReminderService(o =>
            {
                o.Invariant = storage.OrleansInvariant;
                o.ConnectionString = storage.ConnectionString;
            });
            // A grain call continues the caller's trace (HTTP request → grain → SQL): Orleans' call filters carry the activity.
            orleans.AddActivityPropagation();
            // The dashboard's statistics of this silo (activations, calls); a gateway shows them to admins (/dashboard).
            if (silo.Dashboard)
            {
                orleans.AddDashboard(silo.ApplyTo);
            }
            orleans.AddReturnOpsGrains(o => GrainsSettings.Bind(configuration, o));
            configure?.Invoke(orleans);
        });

        services.Configure<Messaging.MessagingOptions>(configuration.GetSection(MessagingSection));
        services.AddMessaging();
        services.AddSingleton(DomainMessageRoutes.Create());
        if (silo.Dispatcher)
        {
            // After Orleans' hosted service: the dispatcher delivers grain messages, so the silo must be up first.
            services.AddHostedService<OutboxDispatcherHost>();
        }
        return builder;
    }

    /// <summary>
    /// A gateway replica in a cluster: an Orleans client that finds the silos' gateways in PostgreSQL's membership table and
    /// holds no grains, with the database for its own tables (<paramref name="hostMigrations"/>), the read models and the
    /// messaging services the API needs. The outbox dispatcher runs on silos only.
    /// </summary>
    public static IHostApplicationBuilder AddReturnOpsClient(this IHostApplicationBuilder builder, IEnumerable<Migration>? hostMigrations = null)
    {
        var configuration = builder.Configuration;
        var storage = StorageSettings.From(configuration);
        var cluster = ClusterSettings.From(configuration);
        if (!cluster.IsAdoNet || !storage.IsPostgres)
        {
            throw new InvalidOperationException("A gateway without a silo finds the cluster in PostgreSQL: set Cluster:Membership=AdoNet and Storage:Provider=Postgres.");
        }
        var silo = new SiloOptions
        {
            Dispatcher = false,
            Name = configuration[$"{SiloOptions.Section}:Name"],
            Dashboard = configuration.GetValue($"{SiloOptions.Section}:Dashboard", true),
            DashboardSampleInterval = configuration.GetValue($"{SiloOptions.Section}:DashboardSampleInterval", new SiloOptions().DashboardSampleInterval),
        };
        var services = builder.Services;
        services.AddSingleton(silo);
        services.AddSingleton(cluster);
        services.AddReturnOpsDatabase(storage, silo.ReplicaName, [.. MessagingSchema.Migrations, .. GrainsModule.Migrations, .. hostMigrations ?? []]);
        services.TryAddKeyedSingleton(DomainClock.Key, TimeProvider.System);
        services.TryAddSingleton(TimeProvider.System);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = storage.OrleansInvariant;
                o.ConnectionString = storage.ConnectionString;
            });
            client.Configure<GatewayOptions>(cluster.ApplyTo);
            client.Configure<ClientMessagingOptions>(cluster.ApplyTo);
            client.UseConnectionRetryFilter<ClusterConnectionRetry>();
            client.AddActivityPropagation();
            if (silo.Dashboard)
            {
                client.AddDashboard(silo.ApplyTo);
            }
            client.AddReturnOpsGrainClient();
        });
        services.Configure<Messaging.MessagingOptions>(configuration.GetSection(MessagingSection));
        services.AddMessaging();
        return builder;
    }

    /// <summary>
    /// A clustered silo's endpoints. In Kubernetes (<see cref="ClusterSettings.Kubernetes"/>) Orleans' Kubernetes hosting names
    /// the silo after its pod (POD_NAME), advertises the pod's IP (POD_IP), takes service and cluster id from ORLEANS_SERVICE_ID
    /// and ORLEANS_CLUSTER_ID, and declares a silo dead as soon as its pod is deleted; elsewhere the silo advertises
    /// <see cref="ClusterSettings.AdvertisedAddress"/> or the host's name.
    /// </summary>
    private static void ConfigureClusterEndpoints(this ISiloBuilder orleans, ClusterSettings cluster)
    {
        if (!cluster.Kubernetes)
        {
            orleans.ConfigureEndpoints(cluster.AdvertisedAddress ?? System.Net.Dns.GetHostName(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            return;
        }
        orleans.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = cluster.SiloPort;
            o.GatewayPort = cluster.GatewayPort;
            if (cluster.AdvertisedAddress is { Length: > 0 } address)
            {
                o.AdvertisedIPAddress = System.Net.IPAddress.TryParse(address, out var ip) ? ip
                    : throw new InvalidOperationException($"Cluster:AdvertisedAddress must be an IP address in Kubernetes, not '{address}' (leave it unset: the pod's IP is used).");
            }
        });
        orleans.UseKubernetesHosting();
    }

    /// <summary>
    /// The database every process uses, migrated at start before Orleans starts (so call this before <c>UseOrleans</c>):
    /// grain state and outbox, Orleans' membership and reminder tables, and <paramref name="migrations"/>.
    /// </summary>
    private static void AddReturnOpsDatabase(this IServiceCollection services, StorageSettings storage, string replicaName, IEnumerable<Migration> migrations)
    {
        services.AddSingleton(storage);
        services.AddSingleton(sp => storage.Open(replicaName, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(new SchemaMigrations([.. StorageSchema.Migrations, .. OrleansSchema.Migrations, .. migrations]));
        services.AddHostedService<SchemaMigrator>();
        services.AddStorageFailureSerialization();
    }

    /// <summary>
    /// Lets a database failure cross from a silo to its caller as itself (a gateway answers it with 503): Orleans serializes
    /// only exceptions with a generated codec or of the System, Microsoft and Azure namespaces, and replaces any other with a
    /// <c>CodecNotFoundException</c>. Both ends need it: the silo writes the exception, the client reads it.
    /// </summary>
    private static void AddStorageFailureSerialization(this IServiceCollection services) =>
        services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o =>
        {
            var others = o.SupportedExceptionTypeFilter;
            o.SupportedExceptionTypeFilter = type => type == typeof(StorageUnavailableException) || type.Namespace == "Npgsql" || others(type);
        });
}
