using System.Globalization;
using System.Text.Json;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;
using OutboxEntry = ReturnOps.Silo.Messaging.OutboxEntry;
using OutboxQueries = ReturnOps.Silo.Messaging.OutboxQueries;

namespace ReturnOps.Gateway.Notifications;

/// <summary>One notification as its reader sees it: <see cref="Data"/> is the stored payload, unchanged.</summary>
public sealed record NotificationItem(string Id, string Type, DateTimeOffset OccurredAt, string? OperationId, JsonElement Data);

/// <summary>A page of a feed, newest first; <see cref="NextAfter"/> continues with older items, null at the end.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, string? NextAfter);

/// <summary>
/// The outbox rows addressed to the caller, read back as a feed through messaging's <see cref="OutboxQueries"/>. Rows stay
/// after dispatch, so the outbox is the record of every notification; this class only reads it.
/// </summary>
public sealed class NotificationFeed(GatewayDatabase database)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const string CursorList = "notifications";

    /// <summary>
    /// The outbox address whose rows the caller reads: its country's for coordinators and partners, its role's
    /// for the secretariat and the fundamental-rights officer, its own for a reintegration service provider. Other roles have no feed (the policy keeps them out).
    /// </summary>
    public static string DestinationOf(Caller caller) => caller.Role switch
    {
        Roles.Coordinator or Roles.Partner => Destination.Country(caller.CountryOf()),
        Roles.Secretariat or Roles.Fro => Destination.Role(caller.Role),
        Roles.Provider => Destination.Provider(caller.ProviderOf()),
        _ => throw new AccessDeniedException("This role has no notification feed."),
    };

    /// <summary>The page below the outbox sequence in <paramref name="after"/>; the next cursor is that of its last row.</summary>
    public Task<NotificationPage> ReadAsync(string destination, PageCursor? after, int limit, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            var entries = await OutboxQueries.AddressedToAsync(connection, destination, after?.Number(0) ?? long.MaxValue, (long)limit + 1, cancellationToken);
            var rows = entries.Select(e => (Seq: e.Id, Item: Item(e))).ToList();
            var (page, next) = PageCursor.Page(rows, limit, CursorList, r => [r.Seq.ToString(CultureInfo.InvariantCulture)]);
            return new NotificationPage([.. page.Select(r => r.Item)], next);
        }, cancellationToken);

    private static NotificationItem Item(OutboxEntry entry)
    {
        var data = Payload(entry.Payload);
        var operationId = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("operationId", out var op)
            && op.ValueKind == JsonValueKind.String ? op.GetString() : null;
        return new NotificationItem(entry.MessageId, entry.Type, DateTimeOffset.FromUnixTimeMilliseconds(entry.OccurredMs), operationId, data);
    }

    /// <summary>Grains write JSON payloads; a row that is not JSON is shown as its text rather than failing the whole page.</summary>
    private static JsonElement Payload(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
