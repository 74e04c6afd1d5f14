namespace ReturnOps.Silo.Messaging.Deliveries;

/// <summary>A message as <c>GET /deliveries</c> shows it. The payload stays out: it may carry personal data.</summary>
public sealed record DeliveryRecord(
    long Id,
    string MessageId,
    string Destination,
    string Lane,
    string Type,
    string Status,
    int Attempts,
    string? LastError,
    DateTimeOffset OccurredAt,
    DateTimeOffset? DeliveredAt);

/// <summary>What <c>POST /deliveries/{id}/replay</c> did.</summary>
public enum ReplayResult
{
    Replayed,
    NotFound,

    /// <summary>The message is pending or delivered: only dead or unrouted messages are replayed.</summary>
    NotReplayable,
}
