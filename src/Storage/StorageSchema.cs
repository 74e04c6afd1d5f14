namespace ReturnOps.Storage;

/// <summary>
/// The tables of grain state and its effects (module name <c>runtime</c> kept: databases record it). Times are Unix milliseconds in both providers so that one query shape
/// serves both and no provider converts time zones.
/// </summary>
public static class StorageSchema
{
    public const string Module = "runtime";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(Module, 1, "grain state, outbox, reminders",
            PostgresSql: """
                CREATE TABLE grain_state (
                    grain_type text NOT NULL,
                    grain_key text NOT NULL,
                    version bigint NOT NULL,
                    payload text,
                    PRIMARY KEY (grain_type, grain_key));
                CREATE TABLE outbox (
                    id bigserial PRIMARY KEY,
                    message_id text NOT NULL UNIQUE,
                    destination text NOT NULL,
                    lane text NOT NULL,
                    type text NOT NULL,
                    payload text NOT NULL,
                    occurred_ms bigint NOT NULL,
                    status text NOT NULL DEFAULT 'pending',
                    attempts integer NOT NULL DEFAULT 0,
                    next_attempt_ms bigint NOT NULL,
                    claimed_by text,
                    claimed_until_ms bigint,
                    last_error text,
                    delivered_ms bigint);
                -- The dispatcher only ever scans pending rows in id order; delivered rows must not slow it.
                CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
                CREATE INDEX outbox_lane ON outbox (destination, lane, id) WHERE status = 'pending';
                CREATE TABLE reminders (
                    grain_type text NOT NULL,
                    grain_key text NOT NULL,
                    name text NOT NULL,
                    first_due_ms bigint NOT NULL,
                    due_ms bigint NOT NULL,
                    period_ms bigint NOT NULL,
                    claimed_by text,
                    claimed_until_ms bigint,
                    PRIMARY KEY (grain_type, grain_key, name));
                CREATE INDEX reminders_due ON reminders (due_ms);
                """,
            SqliteSql: """
                CREATE TABLE grain_state (
                    grain_type TEXT NOT NULL,
                    grain_key TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    payload TEXT,
                    PRIMARY KEY (grain_type, grain_key)) WITHOUT ROWID;
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    message_id TEXT NOT NULL UNIQUE,
                    destination TEXT NOT NULL,
                    lane TEXT NOT NULL,
                    type TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    occurred_ms INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_ms INTEGER NOT NULL,
                    claimed_by TEXT,
                    claimed_until_ms INTEGER,
                    last_error TEXT,
                    delivered_ms INTEGER);
                CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
                CREATE INDEX outbox_lane ON outbox (destination, lane, id) WHERE status = 'pending';
                CREATE TABLE reminders (
                    grain_type TEXT NOT NULL,
                    grain_key TEXT NOT NULL,
                    name TEXT NOT NULL,
                    first_due_ms INTEGER NOT NULL,
                    due_ms INTEGER NOT NULL,
                    period_ms INTEGER NOT NULL,
                    claimed_by TEXT,
                    claimed_until_ms INTEGER,
                    PRIMARY KEY (grain_type, grain_key, name)) WITHOUT ROWID;
                CREATE INDEX reminders_due ON reminders (due_ms);
                """),
        // Operators list dead letters (GET /deliveries?status=dead); without this the listing scans every delivered row.
        new(Module, 2, "outbox dead-letter index",
            PostgresSql: "CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead'",
            SqliteSql: "CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead'"),
        // The pull feed (GET /notifications) reads one destination's rows newest first. Without this SQLite walks the
        // whole table backwards by id: 365 ms for a feed whose only row is old among 500,000 rows, 0.07 ms with it.
        new(Module, 3, "outbox feed index",
            PostgresSql: "CREATE INDEX outbox_feed ON outbox (destination, id)",
            SqliteSql: "CREATE INDEX outbox_feed ON outbox (destination, id)"),
        // Reminders moved to Orleans' reminder service (table orleansremindersv2, see OrleansSchema); ours is retired.
        new(Module, 4, "drop the home-made reminder table",
            PostgresSql: "DROP TABLE IF EXISTS reminders",
            SqliteSql: "DROP TABLE IF EXISTS reminders"),
        PendingAudit.Migration,
    ];
}
