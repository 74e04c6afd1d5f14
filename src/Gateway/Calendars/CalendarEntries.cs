using System.Data.Common;
using System.Globalization;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Calendars;

/// <summary>
/// The entries of one caller's feed: the booking deadline, departure and return of the operations that are theirs, and the reply
/// due dates of the readmission requests their country sent (coordinator) or must answer (partner). Whose operations: a
/// coordinator's country organises or booked on them, a partner's country is a destination, a monitor is assigned to them, the
/// secretariat sees all. The candidates come from the read models; each operation's legs from the operation, whose visibility
/// rule is asked again, as for <c>GET /operations/{id}</c>.
/// </summary>
public static class CalendarEntries
{
    /// <summary>A month back, so that an operation that has just departed is still in the feed for its follow-up.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(30);

    /// <summary>At most this many operations and requests each: about eight months of the secretariat's operations at 290 a year.</summary>
    public const int MaxItems = 200;

    public static async Task<IReadOnlyList<CalendarEntry>> ForAsync(Caller owner, GatewayDatabase database, IGrainFactory grains, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var from = (now - Lookback).ToUnixTimeMilliseconds();
        var (operationIds, readmissions) = await database.RunAsync(async connection =>
            (await OperationIdsAsync(connection, owner, from, cancellationToken), await ReadmissionsAsync(connection, owner, from, cancellationToken)),
            cancellationToken);
        var views = await Task.WhenAll(operationIds.Select(id => grains.GetGrain<IReturnOperationGrain>(id).GetView()));
        var mine = views.OfType<OperationView>()
            .Where(v => OperationVisibility.CanSee(owner, v.Organiser, v.Destinations, v.Status))
            .Where(v => owner.Role != Roles.Monitor || v.AssignedMonitors.Contains(owner.Subject));
        return [.. mine.SelectMany(OperationEntries), .. readmissions];
    }

    private static async Task<List<string>> OperationIdsAsync(DbConnection connection, Caller owner, long fromMs, CancellationToken cancellationToken)
    {
        var country = owner.Country ?? "";
        var sql = owner.Role switch
        {
            Roles.Coordinator => ReadModelQueries.CalendarOperationsOfCountry,
            Roles.Partner => ReadModelQueries.CalendarOperationsToDestination,
            _ => ReadModelQueries.CalendarOperationsAll,
        };
        await using var command = GatewayDatabase.Command(connection, sql,
            ("@from_ms", fromMs), ("@country", country), ("@destination_like", "%," + country + ",%"), ("@limit", (long)MaxItems));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private static async Task<List<CalendarEntry>> ReadmissionsAsync(DbConnection connection, Caller owner, long fromMs, CancellationToken cancellationToken)
    {
        var sent = owner.Role == Roles.Coordinator;
        if (!sent && owner.Role != Roles.Partner)
        {
            return [];
        }
        await using var command = GatewayDatabase.Command(connection,
            sent ? ReadModelQueries.CalendarReadmissionsSent : ReadModelQueries.CalendarReadmissionsReceived,
            ("@from_ms", fromMs), ("@country", owner.Country ?? ""), ("@limit", (long)MaxItems));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<CalendarEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, requester, destination) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            var due = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture));
            entries.Add(new CalendarEntry($"{id}-reply@returnops", CalendarEntryKind.ReadmissionReplyDue,
                sent ? $"Readmission reply due from {destination}: {id}" : $"Readmission reply due to {requester}: {id}",
                due, null,
                $"Readmission request {id} from {requester} to {destination}: the reply is due by {Utc(due)} (the agreement's clock).",
                CalendarEntryStatus.Confirmed));
        }
        return entries;
    }

    /// <summary>
    /// The deadline, the first leg (departure) and the last leg (the flight into the destination, where the returnees are handed
    /// over: the return). The plan records departures only, so both flights are placed at their take-off.
    /// </summary>
    private static IEnumerable<CalendarEntry> OperationEntries(OperationView op)
    {
        var status = op.Status switch
        {
            OperationStatus.Cancelled => CalendarEntryStatus.Cancelled,
            OperationStatus.Confirmed or OperationStatus.Departed or OperationStatus.Completed => CalendarEntryStatus.Confirmed,
            _ => CalendarEntryStatus.Tentative,
        };
        var title = $"{op.Type} operation {op.Id} to {string.Join(", ", op.Destinations)}";
        var route = string.Join(" → ", op.Legs.Select(l => l.From).Append(op.Legs[^1].To));
        var about = $"{title}, organised by {op.Organiser}, status {op.Status}. Route {route}.";
        var first = op.Legs[0];
        var last = op.Legs[^1];
        yield return new CalendarEntry($"{op.Id}-deadline@returnops", CalendarEntryKind.BookingDeadline, $"Booking deadline: {title}",
            op.BookingDeadline, null, $"Seat requests close at {Utc(op.BookingDeadline)}. {about}", status);
        yield return new CalendarEntry($"{op.Id}-departure@returnops", CalendarEntryKind.Departure, $"Departure {first.From} → {first.To}: {title}",
            first.Departure, Place(first.From), $"Take-off {Utc(first.Departure)}; {AirportZones.LocalTime(first.From, first.Departure)}. {about}", status);
        yield return new CalendarEntry($"{op.Id}-return@returnops", CalendarEntryKind.Return, $"Return {last.From} → {last.To}: {title}",
            last.Departure, Place(last.From),
            $"Flight into the destination, take-off {Utc(last.Departure)}; {AirportZones.LocalTime(last.From, last.Departure)}; hand-over at {last.To}. {about}",
            status);
    }

    private static string Place(string iata) => AirportZones.Of(iata) is { } zone ? $"{iata} ({zone.Id})" : iata;

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
