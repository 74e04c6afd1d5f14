using System.Data.Common;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging;

/// <summary>The statements both databases share word for word, and the row shapes they read back.</summary>
internal static class MessagingRows
{
    public const string SubscriptionsOfCountry =
        "SELECT id, country, url, secret, events, created_ms FROM subscriptions WHERE country = @country ORDER BY created_ms, id";

    public const string InsertSubscription =
        "INSERT INTO subscriptions (id, country, url, secret, events, created_ms) VALUES (@id, @country, @url, @secret, @events, @created)";

    /// <summary>Scoped by country as well as id, so one country's system can never touch another's subscription.</summary>
    public const string DeleteSubscription = "DELETE FROM subscriptions WHERE id = @id AND country = @country";

    public const string RotateSecret = "UPDATE subscriptions SET secret = @secret WHERE id = @id AND country = @country";

    public const string InsertInbox =
        "INSERT INTO inbox (message_id, consumer, received_ms) VALUES (@id, @consumer, @now) ON CONFLICT DO NOTHING";

    public const string Reschedule = """
        UPDATE outbox SET attempts = @attempts, next_attempt_ms = @next, last_error = @error, claimed_by = NULL, claimed_until_ms = NULL
        WHERE id = @id AND claimed_by = @owner AND status = 'pending'
        """;

    public const string List = """
        SELECT id, message_id, destination, lane, type, status, attempts, last_error, occurred_ms, delivered_ms
        FROM outbox WHERE status = @status AND id > @after ORDER BY id LIMIT @limit
        """;

    public const string Replay = """
        UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_ms = @now, last_error = NULL, delivered_ms = NULL,
                          claimed_by = NULL, claimed_until_ms = NULL
        WHERE message_id = @id AND status IN ('dead', 'unrouted')
        """;

    public const string MessageExists = "SELECT 1 FROM outbox WHERE message_id = @id";

    public static OutboxRow Outbox(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        reader.GetString(4), reader.GetString(5), reader.GetInt64(6), reader.GetInt32(7));

    public static DeliveryRecord Delivery(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
        reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)));

    public static SubscriptionTarget Subscription(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), new Uri(reader.GetString(2)), reader.GetString(3),
        EventFilter.Parse(reader.GetString(4)), reader.GetInt64(5));
}
