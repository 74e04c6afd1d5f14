namespace ReturnOps.Silo.Messaging;

internal sealed partial record MessagingSql
{
    /// <summary>
    /// SQLite's. Its writes take the runtime's write gate in immediate transactions, so a claim is atomic without row locks:
    /// one process owns the file, and claims by several dispatchers in it simply queue.
    /// </summary>
    public static MessagingSql Sqlite { get; } = new(
        Claim: $"""
            WITH heads AS (
            {DueLaneHeads}),
            lane_rows AS (
                SELECT o.id, row_number() OVER (PARTITION BY o.destination, o.lane ORDER BY o.id) AS position
                FROM outbox o JOIN heads h ON o.destination = h.destination AND o.lane = h.lane
                WHERE o.status = 'pending' AND o.id >= h.id)
            UPDATE outbox SET claimed_by = @owner, claimed_until_ms = @lease
            WHERE id IN (SELECT id FROM lane_rows WHERE position <= @per_lane)
            RETURNING id, message_id, destination, lane, type, payload, occurred_ms, attempts
            """,
        Complete: """
            UPDATE outbox SET status = c.status, attempts = c.attempts, last_error = c.error, delivered_ms = c.at,
                              claimed_by = NULL, claimed_until_ms = NULL
            FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.status') AS status,
                         json_extract(value, '$.attempts') AS attempts, json_extract(value, '$.error') AS error,
                         json_extract(value, '$.at') AS at
                  FROM json_each(@messages)) AS c
            WHERE outbox.id = c.id AND outbox.status = 'pending'
            """,
        Release: """
            UPDATE outbox SET claimed_by = NULL, claimed_until_ms = NULL
            WHERE id IN (SELECT value FROM json_each(@ids)) AND claimed_by = @owner AND status = 'pending'
            """,
        Wake: """
            UPDATE outbox SET next_attempt_ms = @now
            WHERE id IN (SELECT value FROM json_each(@ids)) AND claimed_by IS NULL AND status = 'pending' AND next_attempt_ms > @now
            """);
}
