namespace ReturnOps.Silo.Messaging;

internal sealed partial record MessagingSql
{
    /// <summary>PostgreSQL's: claims that replicas take at once without waiting on each other.</summary>
    public static MessagingSql Postgres { get; } = new(
        // Heads are the first pending message of each lane. Locking them with SKIP LOCKED lets replicas claim at
        // once without waiting on each other, and whoever holds a lane's head is the only one that claims the rest
        // of that lane, so two replicas never send one lane concurrently (until a lease expires). A lane's rows are
        // read from the outbox_lane index with LIMIT per head (LATERAL), not numbered over the whole lane: with a backlog of 200
        // per lane numbering all of them made the claim about three times slower (37 ms against 12 ms for 32 lanes × 20,
        // docs/performance.md, "Cross-border messaging"). SQLite has no LATERAL; its claim numbers the rows.
        Claim: $"""
            WITH heads AS (
            {DueLaneHeads}
                FOR UPDATE OF o SKIP LOCKED),
            lane_rows AS (
                SELECT l.id FROM heads h CROSS JOIN LATERAL (
                    SELECT o.id FROM outbox o
                    WHERE o.status = 'pending' AND o.destination = h.destination AND o.lane = h.lane AND o.id >= h.id
                    ORDER BY o.id
                    LIMIT @per_lane) l)
            UPDATE outbox o SET claimed_by = @owner, claimed_until_ms = @lease
            FROM lane_rows r
            WHERE o.id = r.id AND o.status = 'pending'
            RETURNING o.id, o.message_id, o.destination, o.lane, o.type, o.payload, o.occurred_ms, o.attempts
            """,
        // One statement for a lane's batch (or several lanes' batches marked together).
        Complete: """
            UPDATE outbox o SET status = c.status, attempts = c.attempts, last_error = c.error, delivered_ms = c.at,
                                claimed_by = NULL, claimed_until_ms = NULL
            FROM json_to_recordset(@messages::json) AS c(id bigint, status text, attempts integer, error text, at bigint)
            WHERE o.id = c.id AND o.status = 'pending'
            """,
        Release: """
            UPDATE outbox SET claimed_by = NULL, claimed_until_ms = NULL
            WHERE id IN (SELECT value::bigint FROM json_array_elements_text(@ids::json)) AND claimed_by = @owner AND status = 'pending'
            """,
        Wake: """
            UPDATE outbox SET next_attempt_ms = @now
            WHERE id IN (SELECT value::bigint FROM json_array_elements_text(@ids::json))
              AND claimed_by IS NULL AND status = 'pending' AND next_attempt_ms > @now
            """);
}
