namespace ReturnOps.Grains.ReadModels;

/// <summary>
/// The queries the gateway runs on the read models, in one place. Each is valid on PostgreSQL and SQLite
/// alike (@name parameters, || concatenation, LIMIT/OFFSET), so there is one text per query, not one per provider.
/// Parameters are never optional in the text: an empty string or the full range means "no filter".
/// </summary>
public static class ReadModelQueries
{
    /// <summary>
    /// <c>GET /operations</c>: @status, @destination, @organiser ('' = any), @from_ms, @to_ms, @limit, @offset.
    /// Served by operation_list_status for a status filter; 3,000 rows in ten years scan in well under a millisecond otherwise.
    /// </summary>
    public const string OperationPage = $"""
        SELECT id, type, organiser, status, destinations, departure_ms, capacity, confirmed_seats, waitlisted_seats
        FROM {ReadModelSchema.Operations}
        WHERE (@status = '' OR status = @status)
          AND (@destination = '' OR destinations LIKE '%,' || @destination || ',%')
          AND (@organiser = '' OR organiser = @organiser)
          AND departure_ms >= @from_ms AND departure_ms < @to_ms
        ORDER BY departure_ms, id
        LIMIT @limit OFFSET @offset
        """;

    /// <summary>The total for <see cref="OperationPage"/>, with the same filter parameters.</summary>
    public const string OperationCount = $"""
        SELECT count(*) FROM {ReadModelSchema.Operations}
        WHERE (@status = '' OR status = @status)
          AND (@destination = '' OR destinations LIKE '%,' || @destination || ',%')
          AND (@organiser = '' OR organiser = @organiser)
          AND departure_ms >= @from_ms AND departure_ms < @to_ms
        """;

    /// <summary>Statistics: operations by type and status in @year.</summary>
    public const string OperationsByTypeAndStatus = $"""
        SELECT type, status, count(*) AS operations FROM {ReadModelSchema.Operations}
        WHERE year = @year GROUP BY type, status ORDER BY type, status
        """;

    /// <summary>Statistics: returnees carried (departed or completed operations, no-shows excluded) by destination and participant in @year.</summary>
    public const string ReturneesByDestinationAndParticipant = $"""
        SELECT destination, country, sum(returnees - no_shows) AS returnees FROM {ReadModelSchema.Participants}
        WHERE year = @year AND status IN ('Departed', 'Completed')
        GROUP BY destination, country ORDER BY destination, country
        """;

    /// <summary>
    /// Statistics for @year, one row: forced-return operations, how many had a monitor, escort staff, forced
    /// returnees (escorts per returnee = escorts / forced), suspensions (early warnings) and incidents.
    /// </summary>
    public const string Oversight = $"""
        SELECT count(*) AS forced_operations,
               coalesce(sum(CASE WHEN monitors > 0 THEN 1 ELSE 0 END), 0) AS monitored,
               coalesce(sum(escorts), 0) AS escorts,
               coalesce(sum(forced_returnees), 0) AS forced_returnees,
               coalesce(sum(suspensions), 0) AS suspensions,
               coalesce(sum(incidents), 0) AS incidents
        FROM {ReadModelSchema.Operations}
        WHERE year = @year AND forced_returnees > 0 AND status <> 'Cancelled'
        """;

    /// <summary>Statistics: no-shows in @year by participant (the returnee's country) and reason.</summary>
    public const string NoShowsByParticipantAndReason = $"""
        SELECT country, reason, sum(no_shows) AS no_shows FROM {ReadModelSchema.NoShows}
        WHERE year = @year GROUP BY country, reason ORDER BY country, reason
        """;

    /// <summary><c>GET /returnees?status=</c> for one owner: @owner, @status ('' = any), @limit, @offset.</summary>
    public const string ReturneePage = $"""
        SELECT id, status, operation_id FROM {ReadModelSchema.Returnees}
        WHERE owner = @owner AND (@status = '' OR status = @status)
        ORDER BY id LIMIT @limit OFFSET @offset
        """;

    /// <summary>
    /// <c>GET /readmission-requests/overdue</c> at @now_ms, per destination and owning state: requests that lapsed (no reply by
    /// the deadline, silence not acceptance) and requests still pending past their deadline (the reminder has not run yet).
    /// Both stay overdue until answered; a lapsed request is never answered. Counts only.
    /// </summary>
    public const string OverdueReadmissions = $"""
        SELECT destination, owner,
               sum(CASE WHEN status = 'Lapsed' THEN 1 ELSE 0 END) AS lapsed,
               sum(CASE WHEN status = 'Pending' THEN 1 ELSE 0 END) AS pending_past_due,
               min(reply_due_ms) AS oldest_due_ms
        FROM {ReadModelSchema.ReadmissionRequests}
        WHERE status = 'Lapsed' OR (status = 'Pending' AND reply_due_ms < @now_ms)
        GROUP BY destination, owner ORDER BY destination, owner
        """;

    /// <summary><c>GET /readmission-requests</c>: @owner or @destination (the other ''), @status ('' = any).</summary>
    public const string ReadmissionPage = $"""
        SELECT id, returnee_id, owner, destination, status, reply_due_ms, accepted_by_silence FROM {ReadModelSchema.ReadmissionRequests}
        WHERE (@owner = '' OR owner = @owner) AND (@destination = '' OR destination = @destination) AND (@status = '' OR status = @status)
        ORDER BY reply_due_ms, id LIMIT @limit OFFSET @offset
        """;
}
