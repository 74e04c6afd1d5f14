using System.Text.Json;

namespace ReturnOps.Silo.Messaging.Webhooks;

/// <summary>The delivery body: <c>{"id", "type", "occurredAt", "data"}</c>, with the outbox payload as <c>data</c>.</summary>
public static class WebhookEnvelope
{
    /// <summary>Serializes the body once per message; every attempt sends these exact bytes.</summary>
    /// <exception cref="JsonException">The stored payload is not JSON: the message can never be delivered.</exception>
    public static byte[] Serialize(OutboxRow row)
    {
        using var buffer = new MemoryStream(row.Payload.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", row.MessageId);
            writer.WriteString("type", row.Type);
            writer.WriteString("occurredAt", DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredMs));
            writer.WritePropertyName("data");
            writer.WriteRawValue(row.Payload);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
