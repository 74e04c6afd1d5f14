using Microsoft.Extensions.DependencyInjection.Extensions;
using ReturnOps.Grains;
using ReturnOps.Runtime;
using ReturnOps.Runtime.Hosting;
using ReturnOps.Silo.Messaging;

namespace ReturnOps.Silo.Hosting;

public static class SiloServiceCollectionExtensions
{
    /// <summary>Configuration section bound to <see cref="MessagingOptions"/>.</summary>
    public const string MessagingSection = "Messaging";

    /// <summary>
    /// What every replica runs: the grain runtime with the domain grains over <c>Storage:*</c>, messaging with the
    /// domain's grain routes, and, as <see cref="SiloOptions"/> say, the outbox dispatcher and reminder polling.
    /// <paramref name="configure"/> adds a host's own tables or grains; the storage is chosen here.
    /// Hosted services start in order (runtime, then dispatcher) and stop in reverse.
    /// </summary>
    public static IServiceCollection AddReturnOpsSilo(this IServiceCollection services, IConfiguration configuration,
        Action<GrainRuntimeBuilder>? configure = null)
    {
        var storage = StorageSettings.From(configuration);
        var silo = configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        services.AddSingleton(silo);
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<GrainRuntimeOptions>(o =>
        {
            // Only ever turns polling off, so that a host's own settings (tests) are not overridden by the default.
            o.PollReminders &= silo.Reminders;
            o.SiloName = silo.Name is { Length: > 0 } name ? name : o.SiloName;
        });
        services.AddGrainRuntime(b =>
        {
            b.AddReturnOpsGrains(o => GrainsSettings.Bind(configuration, o)).AddMessagingSchema();
            configure?.Invoke(b);
            b.UseStorage(storage.Provider, storage.ConnectionString);
        });
        services.AddHostedService<GrainRuntimeHost>();

        services.Configure<MessagingOptions>(configuration.GetSection(MessagingSection));
        services.AddMessaging();
        services.AddSingleton(DomainMessageRoutes.Create());
        if (silo.Dispatcher)
        {
            services.AddHostedService<OutboxDispatcherHost>();
        }
        return services;
    }
}
