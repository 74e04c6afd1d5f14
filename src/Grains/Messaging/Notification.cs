using System.Text.Json;
using ReturnOps.Storage;

namespace ReturnOps.Grains.Messaging;

/// <summary>
/// The body of every domain notification: small, counts and ids only, never personal data.
/// <see cref="ReturneeId"/> is set only on grain-to-grain messages (the early warning to the operation) and on a
/// no-show notice to the returnee's own country.
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.Notification")]
public sealed record Notification(
    [property: Id(0)] string Subject,
    [property: Id(1)] string? OperationId = null,
    [property: Id(2)] string? BookingId = null,
    [property: Id(3)] string? Country = null,
    [property: Id(4)] string? Status = null,
    [property: Id(5)] string? Reason = null,
    [property: Id(6)] IReadOnlyList<string>? Rules = null,
    [property: Id(7)] int? Seats = null,
    [property: Id(8)] string? ReturneeId = null,
    [property: Id(20)] string? ReferralId = null);

/// <summary>Builds outbox messages with the shared serializer setup.</summary>
internal static class Outbox
{
    public static OutboxMessage Message(string destination, string lane, string type, Notification body, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now).ToString("N"), destination, lane, type,
            JsonSerializer.Serialize(body, GrainsJsonContext.Default.Notification), now);
}
