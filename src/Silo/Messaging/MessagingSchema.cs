using ReturnOps.Storage;

namespace ReturnOps.Silo.Messaging;

/// <summary>Tables of cross-border messaging, next to the runtime's <c>outbox</c>.</summary>
public static class MessagingSchema
{
    public const string Module = "messaging";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(Module, 1, "subscriptions, inbox",
            PostgresSql: """
                CREATE TABLE subscriptions (
                    id text PRIMARY KEY,
                    country text NOT NULL,
                    url text NOT NULL,
                    secret text NOT NULL,
                    events text NOT NULL,
                    created_ms bigint NOT NULL);
                CREATE INDEX subscriptions_country ON subscriptions (country);
                CREATE TABLE inbox (
                    message_id text NOT NULL,
                    consumer text NOT NULL,
                    received_ms bigint NOT NULL,
                    PRIMARY KEY (message_id, consumer));
                """,
            SqliteSql: """
                CREATE TABLE subscriptions (
                    id TEXT PRIMARY KEY,
                    country TEXT NOT NULL,
                    url TEXT NOT NULL,
                    secret TEXT NOT NULL,
                    events TEXT NOT NULL,
                    created_ms INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX subscriptions_country ON subscriptions (country);
                CREATE TABLE inbox (
                    message_id TEXT NOT NULL,
                    consumer TEXT NOT NULL,
                    received_ms INTEGER NOT NULL,
                    PRIMARY KEY (message_id, consumer)) WITHOUT ROWID;
                """),
    ];
}
