namespace ReturnOps.Grains.ReadModels;

/// <summary>
/// The statistics the gateway runs on the read models, in one place (the lists are <see cref="ReadModelLists"/>). Each is
/// valid on PostgreSQL and SQLite alike (@name parameters), so there is one text per query, not one per provider.
/// </summary>
public static class ReadModelQueries
{
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

    /// <summary>
    /// Calendar feeds: operations departing from @from_ms on that @country organises or has booked on (its drafts too), soonest
    /// first, at most @limit. The feed reads each one's legs from the operation itself.
    /// </summary>
    public const string CalendarOperationsOfCountry = $"""
        SELECT id FROM {ReadModelSchema.Operations}
        WHERE departure_ms >= @from_ms AND (status <> 'Draft' OR organiser = @country)
          AND (organiser = @country OR id IN (SELECT operation_id FROM {ReadModelSchema.Participants} WHERE country = @country))
        ORDER BY departure_ms, id LIMIT @limit
        """;

    /// <summary>Calendar feeds: operations to the destination @destination_like ('%,AL,%') departing from @from_ms, drafts left out.</summary>
    public const string CalendarOperationsToDestination = $"""
        SELECT id FROM {ReadModelSchema.Operations}
        WHERE departure_ms >= @from_ms AND status <> 'Draft' AND destinations LIKE @destination_like
        ORDER BY departure_ms, id LIMIT @limit
        """;

    /// <summary>Calendar feeds of the secretariat and of monitors (who keep those they are assigned to): every planned operation.</summary>
    public const string CalendarOperationsAll = $"""
        SELECT id FROM {ReadModelSchema.Operations}
        WHERE departure_ms >= @from_ms AND status <> 'Draft'
        ORDER BY departure_ms, id LIMIT @limit
        """;

    /// <summary>Calendar feeds: pending readmission requests @country sent, due from @from_ms; ids, countries and due dates only.</summary>
    public const string CalendarReadmissionsSent = $"""
        SELECT id, owner, destination, reply_due_ms FROM {ReadModelSchema.ReadmissionRequests}
        WHERE owner = @country AND status = 'Pending' AND reply_due_ms >= @from_ms
        ORDER BY reply_due_ms, id LIMIT @limit
        """;

    /// <summary>Calendar feeds: pending readmission requests addressed to @country, due from @from_ms.</summary>
    public const string CalendarReadmissionsReceived = $"""
        SELECT id, owner, destination, reply_due_ms FROM {ReadModelSchema.ReadmissionRequests}
        WHERE destination = @country AND status = 'Pending' AND reply_due_ms >= @from_ms
        ORDER BY reply_due_ms, id LIMIT @limit
        """;
}
