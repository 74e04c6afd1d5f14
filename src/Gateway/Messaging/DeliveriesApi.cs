using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Rules;
using ReturnOps.Silo.Messaging;
using ReturnOps.Silo.Messaging.Deliveries;

namespace ReturnOps.Gateway.Messaging;

/// <summary>A page of deliveries; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record DeliveryList(IReadOnlyList<DeliveryRecord> Items, string? NextAfter);

/// <summary>What <c>POST /deliveries/{id}/replay</c> did: the message is pending again, due now.</summary>
public sealed record DeliveryReplay(string MessageId, string Status);

/// <summary>
/// Dead letters and their replay, for operators (admin and secretariat). Payloads are never listed: they may
/// carry personal data.
/// </summary>
public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/deliveries", "Deliveries").RequireAuthorization(Policies.Operators);
        group.MapGet("/", ListAsync).WithSummary("List outbound messages by status (dead letters by default)")
            .WithDescription("Admin and secretariat. Messages in one status, pending, delivered, unrouted or dead, oldest first: the order to " +
                "replay them in. Payloads are never listed, as they may carry personal data.");
        group.MapPost("/{id}/replay", ReplayAsync).Audited("delivery.replay").WithSummary("Send a dead or unrouted message again")
            .WithDescription("Admin and secretariat. The message is pending again and due now; a pending or delivered one is 409, an unknown id 404. Audited.");
        return app;
    }

    private const string CursorList = "deliveries";

    /// <summary>
    /// <c>?status=</c> pending, delivered, unrouted or dead (the default), in pages (<see cref="PageCursor"/>). Oldest first,
    /// not newest: dead letters are replayed in the order they happened, which keeps each lane's order.
    /// </summary>
    private static async Task<Ok<DeliveryList>> ListAsync(DeliveryService deliveries, CancellationToken cancellationToken,
        string? status = null, string? after = null, [Range(1, DeliveryService.MaxPageSize)] int? limit = null)
    {
        var filter = string.IsNullOrEmpty(status) ? DeliveryStatus.Dead : status;
        if (!DeliveryStatus.IsKnown(filter))
        {
            throw RequestProblemException.BadRequest("status must be pending, delivered, unrouted or dead.");
        }
        var size = PageCursor.Limit(limit, 100, DeliveryService.MaxPageSize);
        var from = PageCursor.Decode(after, CursorList, 1)?.Number(0) ?? 0;
        var rows = (await deliveries.ListAsync(filter, from, size + 1, cancellationToken)).ToList();
        var (page, next) = PageCursor.Page(rows, size, CursorList, d => [d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return TypedResults.Ok(new DeliveryList(page, next));
    }

    private static async Task<Ok<DeliveryReplay>> ReplayAsync(string id, DeliveryService deliveries, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 200)
        {
            throw new ResourceNotFoundException($"Delivery {id} not found.");
        }
        return await deliveries.ReplayAsync(id, cancellationToken) switch
        {
            ReplayResult.Replayed => TypedResults.Ok(new DeliveryReplay(id, DeliveryStatus.Pending)),
            ReplayResult.NotReplayable => throw new RequestProblemException(StatusCodes.Status409Conflict,
                "Only dead or unrouted messages are replayed; this one is pending or delivered."),
            _ => throw new ResourceNotFoundException($"Delivery {id} not found."),
        };
    }
}
