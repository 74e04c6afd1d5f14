using System.Text.Json;
using ReturnOps.Grains;
using ReturnOps.Grains.Operations;
using ReturnOps.Silo.Messaging;

namespace ReturnOps.Gateway.Messaging;

/// <summary>
/// Hosts src/Silo's messaging in the gateway: the outbox dispatcher, subscriptions, dead letters and the
/// grain-to-grain routes of the domain.
/// </summary>
public static class MessagingSetup
{
    /// <summary>Configuration section bound to <see cref="MessagingOptions"/>.</summary>
    public const string Section = "Messaging";

    /// <summary>The route of <c>grain:return-operation/{operationId}</c> (the returnee's early warning).</summary>
    public const string ReturnOperationRoute = "return-operation";

    public static IServiceCollection AddGatewayMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MessagingOptions>(configuration.GetSection(Section));
        services.AddMessaging();
        services.AddSingleton(Routes());
        // Registered after GrainRuntimeHost: starts after the runtime, stops before it (hosted services stop in reverse).
        services.AddHostedService<OutboxDispatcherHost>();
        return services;
    }

    /// <summary>
    /// The returnee grain never calls its operation; it writes <c>returnee.ineligible</c> to the outbox and the
    /// dispatcher delivers it here. <see cref="IReturnOperationGrain.SuspendReturnee"/> is idempotent (a suspended
    /// booking no longer holds its returnees), so the gateway's synchronous relay and this delivery apply once.
    /// </summary>
    public static GrainMessageRoutes Routes() => new GrainMessageRoutes().Map(ReturnOperationRoute, (grains, message) =>
    {
        var body = JsonSerializer.Deserialize(message.Payload, GrainsJsonContext.Default.Notification);
        // A message written before returnee ids were carried was relayed synchronously when it was written.
        return body?.ReturneeId is { Length: > 0 } returneeId
            ? grains.GetGrain<IReturnOperationGrain>(message.Key).SuspendReturnee(returneeId, body.Rules ?? [])
            : Task.CompletedTask;
    });

    /// <summary>Runs the replica's <see cref="OutboxDispatcher"/> while the co-hosted runtime runs.</summary>
    private sealed class OutboxDispatcherHost(OutboxDispatcher dispatcher) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => dispatcher.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => dispatcher.StopAsync();
    }
}
