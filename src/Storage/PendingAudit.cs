namespace ReturnOps.Storage;

/// <summary>
/// Audit entries written with a grain's state (issue 22): a booking's entry commits in the batch that stores the booking, not
/// in a commit of the gateway's own after it. They wait here, unhashed, until the gateway seals them into its hash chain in
/// the order it finds them (within a second, and before any read of the log), so the chain stays tamper-evident.
/// </summary>
public static class PendingAudit
{
    public const string Table = "audit_pending";

    /// <summary>Before this, the runtime's migrations (module <c>runtime</c>) had four versions.</summary>
    public static Migration Migration { get; } = new(StorageSchema.Module, 5, "audit entries written with grain state, sealed later",
        PostgresSql: $"""
            CREATE TABLE {Table} (id text PRIMARY KEY, at_ms bigint NOT NULL, subject text NOT NULL, role text NOT NULL, country text NOT NULL,
                action text NOT NULL, resource text NOT NULL, outcome text NOT NULL)
            """,
        SqliteSql: $"""
            CREATE TABLE {Table} (id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL, subject TEXT NOT NULL, role TEXT NOT NULL, country TEXT NOT NULL,
                action TEXT NOT NULL, resource TEXT NOT NULL, outcome TEXT NOT NULL)
            """);

    /// <summary>One entry, ordered by its id (a version 7 UUID: its time first) when sealed.</summary>
    public static ReadModelInsert Entry(DateTimeOffset at, string subject, string role, string country, string action, string resource, string outcome) =>
        new(Table, Guid.CreateVersion7(at).ToString("N"), new Dictionary<string, object?>
        {
            ["at_ms"] = at.ToUnixTimeMilliseconds(),
            ["subject"] = subject,
            ["role"] = role,
            ["country"] = country,
            ["action"] = action,
            ["resource"] = resource,
            ["outcome"] = outcome,
        });
}
