using System.Text.Json;
using ReturnOps.Grains;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Operations;

namespace ReturnOps.Silo.Messaging;

/// <summary>The grain-to-grain one-way messages of the domain, delivered by whichever replica runs the dispatcher.</summary>
public static class DomainMessageRoutes
{
    /// <summary>The route of <c>grain:return-operation/{operationId}</c> (the returnee's early warning).</summary>
    public const string ReturnOperationRoute = "return-operation";

    /// <summary>
    /// The returnee grain never calls its operation; it writes <c>returnee.ineligible</c> to the outbox and the
    /// dispatcher delivers it here. <see cref="IReturnOperationGrain.SuspendReturnee"/> is idempotent (a suspended
    /// booking no longer holds its returnees), so the gateway's synchronous relay and this delivery apply once.
    /// </summary>
    public static GrainMessageRoutes Create() => new GrainMessageRoutes().Map(ReturnOperationRoute, (grains, message) =>
    {
        var body = JsonSerializer.Deserialize(message.Payload, GrainsJsonContext.Default.Notification);
        // A message written before returnee ids were carried was relayed synchronously when it was written.
        return body?.ReturneeId is { Length: > 0 } returneeId
            ? grains.GetGrain<IReturnOperationGrain>(message.Key).SuspendReturnee(returneeId, body.Rules ?? [])
            : Task.CompletedTask;
    })
        // The case's erasure (rule 15) reaching its identification requests; Erase is idempotent, so the gateway's relay and this
        // delivery apply once, and retention (which the operation runs and must not call a request) relies on this delivery alone.
        .Map(IdentificationRequestGrain.Route, (grains, message) => grains.GetGrain<IIdentificationRequestGrain>(message.Key).Erase());
}
