namespace ReturnOps.Storage;

/// <summary>
/// The tables and SQL that Orleans' ADO.NET clustering and reminder providers run. They read every statement
/// from <c>OrleansQuery</c> by key; the keys, the parameter names (bound by name, without prefix) and the
/// result column names are their contract, checked against the 10.4.2 assemblies. Our own SQL, not Orleans'
/// scripts: plain statements instead of stored functions, and real primary keys.
/// </summary>
public static class OrleansSchema
{
    public const string Module = "orleans";

    // Built from the query lists below, which are properties rather than fields: static initialisers run in text
    // order, and this one comes first.
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        // The providers load all their SQL from here once, when they start.
        new(Module, 1, "orleans query table",
            PostgresSql: "CREATE TABLE OrleansQuery (QueryKey text PRIMARY KEY, QueryText text NOT NULL)",
            SqliteSql: "CREATE TABLE OrleansQuery (QueryKey TEXT PRIMARY KEY, QueryText TEXT NOT NULL) WITHOUT ROWID"),
        // Embedded mode runs one silo with localhost clustering, so SQLite gets no membership tables. The runner
        // executes every migration's SQL and records it, so SQLite's side is a statement that changes nothing.
        new(Module, 2, "clustering",
            PostgresSql: PostgresClusteringTables + QueryRows(PostgresClusteringQueries),
            SqliteSql: "SELECT 1"),
        new(Module, 3, "reminders",
            PostgresSql: PostgresReminderTable + QueryRows(PostgresReminderQueries),
            SqliteSql: SqliteReminderTable + QueryRows(SqliteReminderQueries)),
    ];

    private const string PostgresClusteringTables = """
        -- One row per cluster (DeploymentId is Orleans' ClusterId). Its Version is the etag of the whole membership
        -- table: every change to a silo's row bumps it in the same statement, so of two silos that read the same
        -- version only one can write; the other re-reads and retries.
        CREATE TABLE OrleansMembershipVersionTable (
            DeploymentId text PRIMARY KEY,
            ChangedAt timestamptz NOT NULL DEFAULT now(),
            Version integer NOT NULL DEFAULT 0);
        -- One row per silo incarnation: a restarted silo has a new Generation and so a new row.
        CREATE TABLE OrleansMembershipTable (
            DeploymentId text NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
            Address text NOT NULL,
            Port integer NOT NULL,
            Generation integer NOT NULL,
            SiloName text NOT NULL,
            HostName text NOT NULL,
            Status integer NOT NULL,
            ProxyPort integer NOT NULL,
            SuspectTimes text,
            StartTime timestamptz NOT NULL,
            IAmAliveTime timestamptz NOT NULL,
            PRIMARY KEY (DeploymentId, Address, Port, Generation));

        """;

    // Queries that answer true/false must return exactly one row with one value (>0 is true): the provider
    // takes the first row, and no row at all would be an error, not "false". Hence the count over a CTE.
    private static (string Key, string Sql)[] PostgresClusteringQueries =>
    [
        ("UpdateIAmAlivetimeKey", """
            UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
            WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
            """),
        // Every silo runs this when it starts; all but the first find the row there, which is not an error.
        ("InsertMembershipVersionKey", """
            WITH inserted AS (
                INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
                ON CONFLICT (DeploymentId) DO NOTHING
                RETURNING 1)
            SELECT count(*)::integer FROM inserted
            """),
        // @Version is the version the silo read. Bumping it first takes the version row's lock, which serialises
        // concurrent writers; the row is inserted only if the bump happened, so "false" leaves nothing behind.
        ("InsertMembershipKey", """
            WITH bumped AS (
                UPDATE OrleansMembershipVersionTable SET Version = Version + 1, ChangedAt = now()
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                    AND NOT EXISTS (SELECT 1 FROM OrleansMembershipTable
                        WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
                RETURNING DeploymentId),
            inserted AS (
                INSERT INTO OrleansMembershipTable
                    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
                SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                FROM bumped
                RETURNING 1)
            SELECT count(*)::integer FROM inserted
            """),
        ("UpdateMembershipKey", """
            WITH bumped AS (
                UPDATE OrleansMembershipVersionTable SET Version = Version + 1, ChangedAt = now()
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                    AND EXISTS (SELECT 1 FROM OrleansMembershipTable
                        WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
                RETURNING DeploymentId),
            updated AS (
                UPDATE OrleansMembershipTable m
                SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
                FROM bumped b
                WHERE m.DeploymentId = b.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
                RETURNING 1)
            SELECT count(*)::integer FROM updated
            """),
        // The version row comes back even when the silo has no row: the provider takes the table's version from it
        // and treats a null StartTime as "no entry".
        ("MembershipReadRowKey", """
            SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
                m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
            FROM OrleansMembershipVersionTable v
            LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
                AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
            WHERE v.DeploymentId = @DeploymentId
            """),
        ("MembershipReadAllKey", """
            SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
                m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
            FROM OrleansMembershipVersionTable v
            LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
            WHERE v.DeploymentId = @DeploymentId
            """),
        ("DeleteMembershipTableEntriesKey", """
            DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
            DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
            """),
        // Clients find gateways here; @Status is Active (3).
        ("GatewaysQueryKey", """
            SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
            """),
        // Rows of silos that stopped long ago; an Active row is never removed, however old its IAmAliveTime.
        ("CleanupDefunctSiloEntriesKey", """
            DELETE FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3
            """),
    ];

    private const string PostgresReminderTable = """
        -- One row per reminder: Orleans identifies a reminder by grain and name, so that is the primary key and an
        -- upsert replaces the row. GrainHash is the grain's uint ring hash cast to int; each silo reads the rows in
        -- its range of the ring, hence the index.
        CREATE TABLE OrleansRemindersV2 (
            ServiceId text NOT NULL,
            GrainId text NOT NULL,
            ReminderName text NOT NULL,
            StartTime timestamptz NOT NULL,
            Period bigint NOT NULL,
            GrainHash integer NOT NULL,
            Version integer NOT NULL,
            PRIMARY KEY (ServiceId, GrainId, ReminderName));
        CREATE INDEX OrleansRemindersV2_Range ON OrleansRemindersV2 (ServiceId, GrainHash);

        """;

    private const string SqliteReminderTable = """
        -- As on PostgreSQL. StartTime is the text Microsoft.Data.Sqlite writes for a DateTime parameter and parses
        -- back in GetDateTime (UTC: the provider marks what it reads as UTC).
        CREATE TABLE OrleansRemindersV2 (
            ServiceId TEXT NOT NULL,
            GrainId TEXT NOT NULL,
            ReminderName TEXT NOT NULL,
            StartTime TEXT NOT NULL,
            Period INTEGER NOT NULL,
            GrainHash INTEGER NOT NULL,
            Version INTEGER NOT NULL,
            PRIMARY KEY (ServiceId, GrainId, ReminderName)) WITHOUT ROWID;
        CREATE INDEX OrleansRemindersV2_Range ON OrleansRemindersV2 (ServiceId, GrainHash);

        """;

    // Registering an existing reminder again replaces it, so the insert meets the primary key and updates
    // instead; the new Version is the reminder's etag, which unregistering must present.
    private const string UpsertReminder = """
        INSERT INTO OrleansRemindersV2 (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
        VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
        ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE SET
            StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
            Version = OrleansRemindersV2.Version + 1
        RETURNING Version
        """;

    private const string ReminderColumns = "SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersV2";

    private const string DeleteReminderCondition = """
        DELETE FROM OrleansRemindersV2
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
        """;

    // Shared word for word by both databases. The provider compares the hashes as signed ints: it runs Rows1
    // when (int)begin < (int)end, the range (begin, end]; otherwise Rows2, the range that wraps around the end of
    // the int range (begin == end is the whole ring).
    private static (string Key, string Sql)[] SharedReminderQueries =>
    [
        ("UpsertReminderRowKey", UpsertReminder),
        ("ReadReminderRowsKey", ReminderColumns + " WHERE ServiceId = @ServiceId AND GrainId = @GrainId"),
        ("ReadReminderRowKey", ReminderColumns + " WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName"),
        ("ReadRangeRows1Key", ReminderColumns + " WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash"),
        ("ReadRangeRows2Key", ReminderColumns + " WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)"),
        ("DeleteReminderRowsKey", "DELETE FROM OrleansRemindersV2 WHERE ServiceId = @ServiceId"),
    ];

    // Unregistering answers true/false in one row; a stale etag deletes nothing and answers 0.
    private static (string Key, string Sql)[] PostgresReminderQueries =>
    [
        .. SharedReminderQueries,
        ("DeleteReminderRowKey", $"WITH deleted AS ({DeleteReminderCondition} RETURNING 1) SELECT count(*)::integer FROM deleted"),
    ];

    // SQLite has no DELETE inside a CTE; the reader skips the DELETE, which returns no columns, and answers
    // with the SELECT. changes() belongs to the connection, which the provider does not share.
    private static (string Key, string Sql)[] SqliteReminderQueries =>
    [
        .. SharedReminderQueries,
        ("DeleteReminderRowKey", DeleteReminderCondition + "; SELECT changes()"),
    ];

    /// <summary>
    /// One INSERT of the queries: a plain INSERT, not an upsert, because a migration runs once on a table it
    /// filled itself; a duplicate key is a bug to fail on. Later changes to a query are UPDATEs in new migrations.
    /// </summary>
    private static string QueryRows((string Key, string Sql)[] queries) =>
        "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES\n" +
        string.Join(",\n", queries.Select(q => $"('{q.Key}', '{q.Sql.Replace("'", "''", StringComparison.Ordinal)}')"));
}
