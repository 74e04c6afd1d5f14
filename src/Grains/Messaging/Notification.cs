using System.Text.Json;
using ReturnOps.Runtime;

namespace ReturnOps.Grains.Messaging;

/// <summary>
/// The body of every domain notification: small, counts and ids only, never personal data.
/// <see cref="ReturneeId"/> is set only on grain-to-grain messages (the early warning to the operation) and on a
/// no-show notice to the returnee's own country.
/// </summary>
public sealed record Notification(
    string Subject,
    string? OperationId = null,
    string? BookingId = null,
    string? Country = null,
    string? Status = null,
    string? Reason = null,
    IReadOnlyList<string>? Rules = null,
    int? Seats = null,
    string? ReturneeId = null);

/// <summary>Where outbox messages go; the dispatcher (src/Silo) resolves these addresses.</summary>
public static class Destination
{
    /// <summary>A member-state or partner system, by ISO code.</summary>
    public static string Country(string code) => "country:" + code;

    /// <summary>Everyone holding a role, e.g. the fundamental-rights officer.</summary>
    public static string Role(string role) => "role:" + role;

    /// <summary>The carriers (airline and handling agents) of one operation.</summary>
    public static string Carriers(string operationId) => "carriers:" + operationId;

    /// <summary>A one-way durable message to a grain (upward notifications; see docs/domain.md).</summary>
    public static string Grain(string grainType, string key) => $"grain:{grainType}/{key}";
}

/// <summary>Builds outbox messages with the shared serializer setup.</summary>
internal static class Outbox
{
    public static OutboxMessage Message(string destination, string lane, string type, Notification body, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now).ToString("N"), destination, lane, type,
            JsonSerializer.Serialize(body, GrainsJsonContext.Default.Notification), now);
}
