using System.Data.Common;
using ReturnOps.Silo.Messaging.Deliveries;
using ReturnOps.Silo.Messaging.Subscriptions;

namespace ReturnOps.Silo.Messaging;

/// <summary>The statements and row shapes both providers share word for word.</summary>
internal static class MessagingRows
{
    public const string SubscriptionsOfCountry =
        "SELECT id, country, url, secret, events, created_ms FROM subscriptions WHERE country = @country ORDER BY created_ms, id";

    public const string InsertSubscription =
        "INSERT INTO subscriptions (id, country, url, secret, events, created_ms) VALUES (@id, @country, @url, @secret, @events, @created)";

    public const string InsertInbox =
        "INSERT INTO inbox (message_id, consumer, received_ms) VALUES (@id, @consumer, @now) ON CONFLICT DO NOTHING";

    public static DeliveryRecord Delivery(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
        reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)));

    public static SubscriptionTarget Subscription(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), new Uri(reader.GetString(2)), reader.GetString(3),
        EventFilter.Parse(reader.GetString(4)), reader.GetInt64(5));

    public static void BindSubscription(DbCommand command, SubscriptionTarget subscription)
    {
        Add(command, "id", subscription.Id);
        Add(command, "country", subscription.Country);
        Add(command, "url", subscription.Url.ToString());
        Add(command, "secret", subscription.Secret);
        Add(command, "events", subscription.Events.ToStored());
        Add(command, "created", subscription.CreatedMs);
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
