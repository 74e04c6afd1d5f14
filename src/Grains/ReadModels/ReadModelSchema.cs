using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Readmission;
using ReturnOps.Grains.Returnees;
using ReturnOps.Storage;

namespace ReturnOps.Grains.ReadModels;

/// <summary>
/// The domain's read-model tables, written by grains in the same transaction as their state, so that
/// lists and statistics never activate thousands of grains. Rows carry ids and counts, never personal data.
/// Times are Unix milliseconds, as in the runtime's tables; flags are 0/1 so one row shape fits both providers.
/// </summary>
public static class ReadModelSchema
{
    public const string Module = "grains";

    /// <summary>Data upgrades that read tables of more than one module; the name sorts after every module's, so they run last.</summary>
    public const string UpgradeModule = "upgrade";
    public const string Operations = "operation_list";
    public const string Participants = "operation_participants";
    public const string Returnees = "returnee_list";
    public const string ReadmissionRequests = "readmission_requests";
    public const string NoShows = "operation_no_shows";
    public const string Bookings = "operation_bookings";

    /// <summary>The operation statuses whose bookings a coordinator still works on; an operation that ends takes its rows away.</summary>
    public static readonly IReadOnlySet<OperationStatus> Running =
        new HashSet<OperationStatus> { OperationStatus.Announced, OperationStatus.BookingClosed, OperationStatus.Confirmed, OperationStatus.Departed };

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(Module, 1, "operation, participant, returnee and readmission lists",
            PostgresSql: Tables("text", "integer", "bigint"),
            SqliteSql: Tables("TEXT", "INTEGER", "INTEGER")),
        // The secretariat's overdue replies read the lapsed and the pending requests only; answered ones are nearly all rows.
        new(Module, 2, "readmission requests by status and due date",
            PostgresSql: $"CREATE INDEX readmission_requests_due ON {ReadmissionRequests} (status, reply_due_ms)",
            SqliteSql: $"CREATE INDEX readmission_requests_due ON {ReadmissionRequests} (status, reply_due_ms)"),
        new(Module, 3, "no-show counts per operation, participant and reason",
            PostgresSql: NoShowTables("text", "integer"),
            SqliteSql: NoShowTables("TEXT", "INTEGER")),
        new(Module, 4, "keyset lists: returnee nationality and reference, indexes in each list's order (issue 16)",
            PostgresSql: ListIndexes.Postgres,
            SqliteSql: ListIndexes.Sqlite),
        // Reads grain_state, which module "runtime" creates; modules apply in name order, so the backfill is a module of its own after it.
        new(UpgradeModule, 1, "returnee list: nationality and reference of the cases stored before grains 4",
            PostgresSql: ListIndexes.PostgresBackfill,
            SqliteSql: ListIndexes.SqliteBackfill),
        new(Module, 5, "bookings of running operations per state, in the list's order",
            PostgresSql: BookingList.Postgres,
            SqliteSql: BookingList.Sqlite),
        // Reads grain_state (module "runtime") and operation_list; after every module, like upgrade 1.
        new(UpgradeModule, 2, "booking list: the bookings of operations running before grains 5",
            PostgresSql: BookingList.PostgresBackfill,
            SqliteSql: BookingList.SqliteBackfill),
        ReturnCounts.Migration,
    ];

    /// <summary>One row per operation, country and reason; the totals also sit on the operation and participant rows.</summary>
    private static string NoShowTables(string text, string integer) => $"""
        ALTER TABLE {Operations} ADD COLUMN no_shows {integer} NOT NULL DEFAULT 0;
        ALTER TABLE {Participants} ADD COLUMN no_shows {integer} NOT NULL DEFAULT 0;
        CREATE TABLE {NoShows} (
            id {text} PRIMARY KEY, operation_id {text} NOT NULL, country {text} NOT NULL, year {integer} NOT NULL,
            reason {text} NOT NULL, no_shows {integer} NOT NULL);
        CREATE INDEX operation_no_shows_year ON {NoShows} (year, country);
        """;

    private static string Tables(string text, string integer, string bigint) => $"""
        CREATE TABLE {Operations} (
            id {text} PRIMARY KEY, type {text} NOT NULL, organiser {text} NOT NULL, status {text} NOT NULL,
            destinations {text} NOT NULL, departure_ms {bigint} NOT NULL, booking_deadline_ms {bigint} NOT NULL, year {integer} NOT NULL,
            capacity {integer} NOT NULL, confirmed_seats {integer} NOT NULL, waitlisted_seats {integer} NOT NULL,
            confirmed_returnees {integer} NOT NULL, forced_returnees {integer} NOT NULL, escorts {integer} NOT NULL,
            medical {integer} NOT NULL, monitors {integer} NOT NULL, interpreters {integer} NOT NULL,
            suspensions {integer} NOT NULL, incidents {integer} NOT NULL, updated_ms {bigint} NOT NULL);
        -- Lists filter by status and sort by departure; 3,000 operations over ten years stay small.
        CREATE INDEX operation_list_status ON {Operations} (status, departure_ms);
        CREATE TABLE {Participants} (
            id {text} PRIMARY KEY, operation_id {text} NOT NULL, country {text} NOT NULL, destination {text} NOT NULL,
            year {integer} NOT NULL, type {text} NOT NULL, status {text} NOT NULL, returnees {integer} NOT NULL,
            forced_returnees {integer} NOT NULL, escorts {integer} NOT NULL, medical {integer} NOT NULL, monitors {integer} NOT NULL,
            confirmed_seats {integer} NOT NULL, waitlisted_seats {integer} NOT NULL, suspended_bookings {integer} NOT NULL);
        CREATE INDEX operation_participants_year ON {Participants} (year, country);
        CREATE TABLE {Returnees} (
            id {text} PRIMARY KEY, owner {text} NOT NULL, status {text} NOT NULL, operation_id {text} NOT NULL, updated_ms {bigint} NOT NULL);
        -- A coordinator lists its own country's cases by status: up to 500,000 rows in ten years.
        CREATE INDEX returnee_list_owner ON {Returnees} (owner, status);
        CREATE TABLE {ReadmissionRequests} (
            id {text} PRIMARY KEY, returnee_id {text} NOT NULL, owner {text} NOT NULL, destination {text} NOT NULL,
            status {text} NOT NULL, reply_due_ms {bigint} NOT NULL, accepted_by_silence {integer} NOT NULL);
        CREATE INDEX readmission_requests_owner ON {ReadmissionRequests} (owner, status);
        CREATE INDEX readmission_requests_destination ON {ReadmissionRequests} (destination, status);
        """;

    /// <summary>
    /// The list row of a case. Nationality and the owner's reference are there to be filtered on by the owner's clerks
    /// (issue 16); they are blanked when the case is erased, like the case itself.
    /// </summary>
    internal static ReadModelUpsert ReturneeRow(string id, string owner, ReturneeStatus status, string? operationId, ReturneeCase? c, DateTimeOffset now) =>
        new(Returnees, id, new Dictionary<string, object?>
        {
            ["owner"] = owner,
            ["status"] = status.ToString(),
            ["nationality"] = c?.Nationality ?? "",
            ["reference"] = c?.Reference ?? "",
            ["operation_id"] = operationId ?? "",
            ["updated_ms"] = now.ToUnixTimeMilliseconds(),
        });

    internal static ReadModelUpsert ReadmissionRow(ReadmissionRequestView r) =>
        new(ReadmissionRequests, r.Id, new Dictionary<string, object?>
        {
            ["returnee_id"] = r.ReturneeId,
            ["owner"] = r.Owner,
            ["destination"] = r.Destination,
            ["status"] = r.Status.ToString(),
            ["reply_due_ms"] = r.ReplyDueBy.ToUnixTimeMilliseconds(),
            ["accepted_by_silence"] = r.AcceptedBySilence ? 1 : 0,
        });

    /// <summary>
    /// The operation's list, participant and no-show rows, and the booking-list rows of the bookings <paramref name="changed"/>
    /// selects: a write touches only the bookings that changed (issue 13), all of them when the operation's status moved.
    /// </summary>
    internal static IEnumerable<ReadModelWrite> OperationRows(string id, ReturnOperationState s, DateTimeOffset now, Func<Booking, bool> changed)
    {
        var plan = s.Plan!;
        var departure = plan.Legs[0].Departure;
        var confirmed = s.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        yield return new ReadModelUpsert(Operations, id, new Dictionary<string, object?>
        {
            ["type"] = plan.Type.ToString(),
            ["organiser"] = plan.Organiser,
            ["status"] = s.Status.ToString(),
            // Delimited on both sides so that a filter is LIKE '%,NG,%' and never matches a prefix.
            ["destinations"] = "," + string.Join(",", plan.Destinations) + ",",
            ["departure_ms"] = departure.ToUnixTimeMilliseconds(),
            ["booking_deadline_ms"] = plan.BookingDeadline.ToUnixTimeMilliseconds(),
            ["year"] = departure.Year,
            ["capacity"] = plan.SeatCapacity,
            ["confirmed_seats"] = confirmed.Sum(b => b.Seats),
            ["waitlisted_seats"] = s.Bookings.Where(b => b.Status == BookingStatus.Waitlisted).Sum(b => b.Seats),
            ["confirmed_returnees"] = confirmed.Sum(b => b.ReturneeCount),
            ["forced_returnees"] = confirmed.Sum(b => b.ForcedCount),
            ["escorts"] = confirmed.Sum(b => b.Escorts),
            ["medical"] = confirmed.Sum(b => b.Medical),
            ["monitors"] = confirmed.Sum(b => b.Monitors) + s.AssignedMonitors.Count,
            ["interpreters"] = confirmed.Sum(b => b.Interpreters),
            ["suspensions"] = s.Suspensions,
            ["incidents"] = s.Incidents,
            ["no_shows"] = s.NoShows.Count,
            ["updated_ms"] = now.ToUnixTimeMilliseconds(),
        });
        foreach (var country in s.Bookings.GroupBy(b => b.Country))
        {
            var mine = country.Where(b => b.Status == BookingStatus.Confirmed).ToList();
            yield return new ReadModelUpsert(Participants, id + "/" + country.Key, new Dictionary<string, object?>
            {
                ["operation_id"] = id,
                ["country"] = country.Key,
                ["destination"] = plan.Destinations[0],
                ["year"] = departure.Year,
                ["type"] = plan.Type.ToString(),
                ["status"] = s.Status.ToString(),
                ["returnees"] = mine.Sum(b => b.ReturneeCount),
                ["forced_returnees"] = mine.Sum(b => b.ForcedCount),
                ["escorts"] = mine.Sum(b => b.Escorts),
                ["medical"] = mine.Sum(b => b.Medical),
                ["monitors"] = mine.Sum(b => b.Monitors),
                ["confirmed_seats"] = mine.Sum(b => b.Seats),
                ["waitlisted_seats"] = country.Where(b => b.Status == BookingStatus.Waitlisted).Sum(b => b.Seats),
                ["suspended_bookings"] = country.Count(b => b.Status == BookingStatus.Suspended),
                ["no_shows"] = s.NoShows.Count(n => n.Country == country.Key),
            });
        }
        // The state's booking list (GET /bookings) holds running operations only: an operation that ends deletes its rows.
        var running = Running.Contains(s.Status);
        foreach (var b in s.Bookings.Where(changed))
        {
            var key = id + "/" + b.Id;
            yield return running
                ? new ReadModelUpsert(Bookings, key, new Dictionary<string, object?>
                {
                    ["operation_id"] = id,
                    ["booking_id"] = b.Id,
                    ["country"] = b.Country,
                    ["status"] = b.Status.ToString(),
                    ["sequence"] = b.Sequence,
                    ["seats"] = b.Seats,
                    ["returnees"] = b.ReturneeCount,
                    ["suspended"] = b.Returnees.Count(r => r.Suspended),
                    ["type"] = plan.Type.ToString(),
                    ["destinations"] = "," + string.Join(",", plan.Destinations) + ",",
                    ["operation_status"] = s.Status.ToString(),
                    ["departure_ms"] = departure.ToUnixTimeMilliseconds(),
                })
                : new ReadModelDelete(Bookings, key);
        }
        // No-shows are never taken back, so a row per country and reason only ever grows: upserts suffice.
        foreach (var group in s.NoShows.GroupBy(n => (n.Country, n.Reason)))
        {
            yield return new ReadModelUpsert(NoShows, $"{id}/{group.Key.Country}/{group.Key.Reason}", new Dictionary<string, object?>
            {
                ["operation_id"] = id,
                ["country"] = group.Key.Country,
                ["year"] = departure.Year,
                ["reason"] = group.Key.Reason.ToString(),
                ["no_shows"] = group.Count(),
            });
        }
        if (ReturnCounts.Written(s))
        {
            foreach (var row in ReturnCounts.Rows(id, s))
            {
                yield return row;
            }
        }
    }
}
