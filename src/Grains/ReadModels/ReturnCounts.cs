using ReturnOps.Grains.Operations;
using ReturnOps.Storage;

namespace ReturnOps.Grains.ReadModels;

/// <summary>
/// Persons returned, as the authorities count them (issue 26 §5; Eurostat's enforcement-of-immigration-legislation tables):
/// one row per departed operation, owning state, citizenship, destination, forced or voluntary and escorted or not, with the
/// number of persons who left. Counts only; the row survives the case's erasure (rule 15), which is why the citizenship is
/// kept on the booking and not read from the case.
/// <para>
/// Rows exist from departure on: before it nobody has returned, and the booking rush writes none of them. A no-show keeps
/// its group's row (at one less, possibly zero) because the group is formed from the no-shows too; once retention erased the
/// ids, the rows are no longer written and stay as they were.
/// </para>
/// </summary>
public static class ReturnCounts
{
    public const string Table = "operation_returns";

    /// <summary>Eurostat's code for an unknown citizenship: returnees booked before the citizenship was kept on the booking.</summary>
    public const string UnknownCitizenship = "UNK";

    private static string Tables(string text, string integer) => $"""
        CREATE TABLE {Table} (
            id {text} PRIMARY KEY, operation_id {text} NOT NULL, owner {text} NOT NULL, nationality {text} NOT NULL,
            destination {text} NOT NULL, year {integer} NOT NULL, month {integer} NOT NULL, forced {integer} NOT NULL,
            escorted {integer} NOT NULL, returned {integer} NOT NULL);
        -- A year is read whole (the secretariat) or per state (a coordinator); ten years are about 3,000 operations.
        CREATE INDEX operation_returns_year ON {Table} (year, owner);
        """;

    public static Migration Migration { get; } = new(ReadModelSchema.Module, 6, "persons returned by state, citizenship, destination and type of return",
        PostgresSql: Tables("text", "integer"), SqliteSql: Tables("TEXT", "INTEGER"));

    /// <summary>Whether the grain writes the rows with this state: departed, and the ids not erased yet.</summary>
    public static bool Written(ReturnOperationState s) =>
        s.Status is OperationStatus.Departed or OperationStatus.Completed && !s.PersonalDataErased;

    /// <summary>
    /// The rows of a departed operation. Escorted: a forced returnee of a booking that brings escorts, or of a collecting
    /// operation, whose escorts come from the destination (rule 8). The month is the first leg's departure in UTC.
    /// </summary>
    public static IEnumerable<ReadModelUpsert> Rows(string operationId, ReturnOperationState s)
    {
        var plan = s.Plan!;
        var departure = plan.Legs[0].Departure.ToUniversalTime();
        var confirmed = s.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToDictionary(b => b.Id, StringComparer.Ordinal);
        var people = confirmed.Values.SelectMany(b => b.Returnees.Select(r => (Booking: b, Returnee: r, Left: !r.Suspended)))
            .Concat(s.NoShows.Where(n => n.Returnee is not null && confirmed.ContainsKey(n.BookingId))
                .Select(n => (Booking: confirmed[n.BookingId], Returnee: n.Returnee!, Left: false)));
        var groups = people.GroupBy(p => (
            Owner: p.Booking.Country,
            Nationality: p.Returnee.Nationality ?? UnknownCitizenship,
            Destination: p.Returnee.ReturnTo ?? plan.Destinations[0],
            p.Returnee.Forced,
            Escorted: p.Returnee.Forced && (p.Booking.Escorts > 0 || plan.Type == OperationType.Collecting)));
        foreach (var g in groups)
        {
            var k = g.Key;
            yield return new ReadModelUpsert(Table, $"{operationId}/{k.Owner}/{k.Nationality}/{k.Destination}/{(k.Forced ? "F" : "V")}{(k.Escorted ? "E" : "N")}",
                new Dictionary<string, object?>
                {
                    ["operation_id"] = operationId,
                    ["owner"] = k.Owner,
                    ["nationality"] = k.Nationality,
                    ["destination"] = k.Destination,
                    ["year"] = departure.Year,
                    ["month"] = departure.Month,
                    ["forced"] = k.Forced ? 1 : 0,
                    ["escorted"] = k.Escorted ? 1 : 0,
                    ["returned"] = g.Count(p => p.Left),
                });
        }
    }

    /// <summary>
    /// Persons returned in @year by month, owning state, citizenship, destination, forced and escorted; with
    /// <paramref name="ofOwner"/>, only @owner's. Groups of no one (every person a no-show) are left out.
    /// </summary>
    public static string ByMonth(bool ofOwner) => $"""
        SELECT month, owner, nationality, destination, forced, escorted, sum(returned) AS persons FROM {Table}
        WHERE year = @year{(ofOwner ? " AND owner = @owner" : "")}
        GROUP BY month, owner, nationality, destination, forced, escorted
        HAVING sum(returned) > 0
        ORDER BY month, owner, nationality, destination, forced, escorted
        """;
}
