using ReturnOps.Storage;

namespace ReturnOps.Gateway.Hosting;

/// <summary>The gateway's own tables, next to the runtime's: idempotency keys, the audit log, calendar feed secrets and complaints.</summary>
public static class GatewaySchema
{
    public const string Module = "gateway";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(Module, 1, "idempotency keys and hash-chained audit log",
            PostgresSql: Tables("text", "bigint"),
            SqliteSql: Tables("TEXT", "INTEGER")),
        // Keys were per sub; they are per full identity now (CallerExtensions.IdentityKey). A row keyed by a sub alone could be
        // met by a caller whose identity key spells the same text, so the old rows go: once, a retry within 24 hours of the
        // upgrade of a POST answered before it acts again instead of being replayed (docs/security.md).
        new(Module, 2, "idempotency keys per full identity (role, country, sub): keys stored per sub are forgotten",
            PostgresSql: "DELETE FROM gateway_idempotency;",
            SqliteSql: "DELETE FROM gateway_idempotency;"),
        // The audit list is read newest first by sequence (the primary key), narrowed to one subject or one action; without
        // these a filtered page walked the whole log backwards (issue 16).
        new(Module, 3, "audit log by subject and by action, in sequence order",
            PostgresSql: AuditIndexes,
            SqliteSql: AuditIndexes),
        new(Module, 4, "calendar feeds: one revocable secret per caller, stored as its SHA-256",
            PostgresSql: CalendarFeeds("text", "bigint"),
            SqliteSql: CalendarFeeds("TEXT", "INTEGER")),
        new(Module, 5, "complaints of the public channel (rule 24), found by their tracking code's SHA-256",
            PostgresSql: Complaints("text", "bigint"),
            SqliteSql: Complaints("TEXT", "INTEGER")),
    ];

    /// <summary>
    /// Complaints to the fundamental-rights officer (<c>Complaints/ComplaintStore</c>). The tracking code is kept only as its hash;
    /// the personal columns (what happened, contact, answer, reason, operation as the complainant named it) are nulled at erasure.
    /// The list reads newest first; retention finds the closed ones by closing time.
    /// </summary>
    private static string Complaints(string text, string bigint) => $"""
        CREATE TABLE gateway_complaints (
            id {text} PRIMARY KEY, tracking_hash {text} NOT NULL, status {text} NOT NULL, received_ms {bigint} NOT NULL,
            updated_ms {bigint} NOT NULL, complainant {text} NOT NULL, language {text} NOT NULL, happened_on {text} NOT NULL,
            operation_id {text}, what_happened {text}, contact {text}, answer {text}, forwarded_to {text}, close_reason {text},
            closed_ms {bigint}, erased_ms {bigint});
        CREATE UNIQUE INDEX gateway_complaints_tracking ON gateway_complaints (tracking_hash);
        CREATE INDEX gateway_complaints_received ON gateway_complaints (received_ms, id);
        CREATE INDEX gateway_complaints_closed ON gateway_complaints (closed_ms) WHERE erased_ms IS NULL;
        """;

    /// <summary>
    /// A calendar client fetches its feed without a token, so the feed's secret stands for the caller who issued it. Only its hash
    /// is kept: a copy of the database does not open anyone's calendar. One row per caller: issuing again replaces the secret.
    /// </summary>
    private static string CalendarFeeds(string text, string bigint) => $"""
        CREATE TABLE gateway_calendar_feeds (
            caller {text} PRIMARY KEY, secret_hash {text} NOT NULL, role {text} NOT NULL, country {text} NOT NULL,
            subject {text} NOT NULL, issued_ms {bigint} NOT NULL);
        CREATE UNIQUE INDEX gateway_calendar_feeds_secret ON gateway_calendar_feeds (secret_hash);
        """;

    private const string AuditIndexes = """
        CREATE INDEX gateway_audit_subject ON gateway_audit (subject, seq);
        CREATE INDEX gateway_audit_action ON gateway_audit (action, seq);
        """;

    private static string Tables(string text, string bigint) => $"""
        CREATE TABLE gateway_idempotency (
            caller {text} NOT NULL, idem_key {text} NOT NULL, request_hash {text} NOT NULL, state {text} NOT NULL,
            status_code {bigint}, content_type {text}, location {text}, etag {text}, body {text},
            created_ms {bigint} NOT NULL, claimed_ms {bigint} NOT NULL,
            PRIMARY KEY (caller, idem_key));
        CREATE TABLE gateway_audit (
            seq {bigint} PRIMARY KEY, at_ms {bigint} NOT NULL, subject {text} NOT NULL, role {text} NOT NULL,
            country {text} NOT NULL, action {text} NOT NULL, resource {text} NOT NULL, outcome {text} NOT NULL,
            prev_hash {text} NOT NULL, hash {text} NOT NULL);
        -- One row: the chain's head. Appenders lock it with an UPDATE, which serialises them on both engines.
        CREATE TABLE gateway_audit_head (id {bigint} PRIMARY KEY, seq {bigint} NOT NULL, hash {text} NOT NULL);
        INSERT INTO gateway_audit_head (id, seq, hash) VALUES (1, 0, '{AuditGenesis}');
        """;

    /// <summary>The previous hash of the first audit row.</summary>
    public const string AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000";
}
