namespace ReturnOps.Silo.Messaging;

/// <summary>
/// The messaging statements that differ between the databases, as data (Orleans' ADO.NET providers keep their SQL per
/// database the same way): one <see cref="MessagingStore"/> runs whichever it is given. The statements both databases share
/// word for word are in <see cref="MessagingRows"/>. Lists of rows are passed as one JSON text parameter, which both
/// databases unpack in SQL, so every statement binds the same parameters on either database.
/// </summary>
/// <param name="Claim">Leases lanes' pending rows: <c>@owner @now @lease @lanes @per_lane</c>, returns <see cref="OutboxRow"/> columns.</param>
/// <param name="Complete">Ends a batch: <c>@messages</c>, a JSON array of <c>{id, status, attempts, error, at}</c>.</param>
/// <param name="Release">Hands claims back: <c>@ids</c> (a JSON array), <c>@owner</c>.</param>
/// <param name="Wake">Makes unclaimed pending rows due now: <c>@ids</c> (a JSON array), <c>@now</c>.</param>
internal sealed partial record MessagingSql(string Claim, string Complete, string Release, string Wake)
{
    /// <summary>
    /// The claim's first step on both databases: up to <c>@lanes</c> lane heads (a lane's first pending message) that are
    /// due and not under a live lease, oldest first. The NOT EXISTS probes outbox_lane (destination, lane, id) WHERE
    /// pending: one index lookup per candidate head.
    /// </summary>
    private const string DueLaneHeads = """
        SELECT o.id, o.destination, o.lane FROM outbox o
        WHERE o.status = 'pending' AND o.next_attempt_ms <= @now
          AND (o.claimed_until_ms IS NULL OR o.claimed_until_ms < @now)
          AND NOT EXISTS (SELECT 1 FROM outbox e
                          WHERE e.status = 'pending' AND e.destination = o.destination AND e.lane = o.lane AND e.id < o.id)
        ORDER BY o.id
        LIMIT @lanes
        """;
}
