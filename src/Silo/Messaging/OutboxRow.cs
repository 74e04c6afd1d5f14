namespace ReturnOps.Silo.Messaging;

/// <summary>An outbox row claimed by this replica for delivery.</summary>
public sealed record OutboxRow(
    long Id,
    string MessageId,
    string Destination,
    string Lane,
    string Type,
    string Payload,
    long OccurredMs,
    int Attempts);

/// <summary>
/// A claimed message that came to an end — <see cref="DeliveryStatus.Delivered"/>, unrouted or dead — at
/// <paramref name="AtMs"/>, not yet written.
/// </summary>
public sealed record CompletedMessage(long Id, string Status, int Attempts, string? Error, long AtMs);

/// <summary>The values of <c>outbox.status</c>.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for delivery, or claimed by a replica (<c>claimed_until_ms</c> in the future).</summary>
    public const string Pending = "pending";

    /// <summary>Every matching subscription acknowledged it with a 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>The destination had no matching subscription when the message came up; replayable.</summary>
    public const string Unrouted = "unrouted";

    /// <summary>Gave up after the attempt or age bound, or undeliverable as written; replayable.</summary>
    public const string Dead = "dead";

    public static bool IsKnown(string status) => status is Pending or Delivered or Unrouted or Dead;
}
