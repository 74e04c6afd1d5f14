using System.Text.Json;
using ReturnOps.Grains.Messaging;
using ReturnOps.Silo.Messaging.Subscriptions;
using ReturnOps.Silo.Messaging.Webhooks;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Where a message goes and what sending it came to: the matching subscriptions of its country (webhooks), a grain (a
/// <see cref="GrainMessenger"/> route), or nowhere (internal feeds, unknown destinations, payloads that are not JSON).
/// </summary>
internal sealed class MessageRouter(WebhookSender sender, SubscriptionCache subscriptions, GrainMessenger grains, CircuitWaiters circuits)
{
    public async Task<RowOutcome> SendAsync(OutboxRow row, IReadOnlyDictionary<string, IReadOnlyList<SubscriptionTarget>> targets, CancellationToken cancellationToken)
    {
        if (Destination.TryParseGrain(row.Destination, out var route, out var key))
        {
            return await SendToGrainAsync(row, route, key);
        }
        if (Destination.IsInternalFeed(row.Destination))
        {
            // Role and carrier feeds are read inside the platform; the row is their record, not a delivery job.
            return RowOutcome.Final(DeliveryStatus.Unrouted, $"internal feed '{row.Destination}': read in the platform, not sent");
        }
        if (!Destination.TryParseCountry(row.Destination, out var country))
        {
            return RowOutcome.Final(DeliveryStatus.Dead, $"no transport for destination '{row.Destination}'");
        }
        byte[] body;
        try
        {
            body = WebhookEnvelope.Serialize(row);
        }
        catch (JsonException)
        {
            return RowOutcome.Final(DeliveryStatus.Dead, "payload is not JSON");
        }
        var matching = targets.GetValueOrDefault(country, []).Where(t => t.Events.Matches(row.Type)).ToList();
        if (matching.Count == 0)
        {
            // Unrouted is final, so it is decided only on subscriptions read after the message was written: a subscription
            // made elsewhere a moment before the message must get it, although the kept list is up to a second old.
            matching = [.. (await subscriptions.ReadAfterAsync(country, row.OccurredMs, cancellationToken)).Where(t => t.Events.Matches(row.Type))];
        }
        if (matching.Count == 0)
        {
            return RowOutcome.Final(DeliveryStatus.Unrouted, $"no subscription of {country} takes {row.Type}");
        }
        var sends = await Task.WhenAll(matching.Select(async t =>
        {
            var successesBefore = circuits.Successes(t.Id);
            return (Target: t, SuccessesBefore: successesBefore, Result: await sender.SendAsync(t, row.MessageId, body, cancellationToken));
        }));
        foreach (var send in sends.Where(s => s.Result.Delivered))
        {
            await circuits.PassedAsync(send.Target.Id, cancellationToken);
        }
        var failures = sends.Where(s => !s.Result.Delivered).ToList();
        if (failures.Count == 0)
        {
            return RowOutcome.Final(DeliveryStatus.Delivered, null);
        }
        // Retried as a whole: subscriptions that acknowledged see it again, under the same message id.
        return new RowOutcome(null, string.Join("; ", failures.Select(f => f.Result.Error)), failures.Any(f => f.Result.Attempted),
            failures.Max(f => f.Result.CircuitOpenFor),
            [.. failures.Where(f => f.Result.CircuitOpenFor is not null).Select(f => (f.Target.Id, f.SuccessesBefore))]);
    }

    private async Task<RowOutcome> SendToGrainAsync(OutboxRow row, string route, string key)
    {
        if (!grains.TryGet(route, out var deliver))
        {
            return RowOutcome.Final(DeliveryStatus.Dead, $"no grain route '{route}'");
        }
        try
        {
            await deliver(new GrainMessage(row.MessageId, key, row.Lane, row.Type, row.Payload, DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredMs)));
            return RowOutcome.Final(DeliveryStatus.Delivered, null);
        }
#pragma warning disable CA1031 // Whatever the receiving grain throws, the message waits for its retry; the lane must not die with it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new RowOutcome(null, $"{ex.GetType().Name} from grain route '{route}'", true, null, null);
        }
    }
}

/// <summary>What sending a message came to: a final <see cref="Status"/>, or null for "try again later".</summary>
/// <param name="RefusedBy">Subscriptions whose open circuit refused the message, each with its count of successes before the send.</param>
internal readonly record struct RowOutcome(string? Status, string? Error, bool Attempted, TimeSpan? CircuitOpenFor,
    IReadOnlyList<(string Subscription, long Successes)>? RefusedBy)
{
    public static RowOutcome Final(string status, string? error) => new(status, error, true, null, null);
}
