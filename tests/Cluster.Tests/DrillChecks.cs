using System.Net;
using ReturnOps.PartnerSimulator;

namespace ReturnOps.Cluster.Tests;

/// <summary>The invariants a drill checks afterwards, from the API and the database; every broken one is listed.</summary>
public static class DrillChecks
{
    /// <summary>Acknowledged bookings exist as answered, nothing more exists, seats add up, no returnee twice, one notice each.</summary>
    public static async Task<List<string>> BookingsAsync(DrillCluster cluster, BookingRush rush)
    {
        var broken = new List<string>();
        using var http = new HttpClient { BaseAddress = cluster.Gateways.First(g => !g.HasExited).Address };
        if (rush.RetriedStatuses.TryGetValue(500, out var internalErrors))
        {
            broken.Add($"{internalErrors} answers were 500: a crash of a replica must not make another answer 500");
        }
        foreach (var unanswered in rush.Bookings.Where(b => b.Status != HttpStatusCode.Created))
        {
            broken.Add($"{unanswered.Key} ({unanswered.Attempts} attempts) ended {(int?)unanswered.Status}: {unanswered.Body}");
        }

        var listed = new List<(string Id, string Country, string Status, int Seats, HashSet<string> Returnees)>();
        foreach (var country in BookingRush.Countries)
        {
            var items = await DrillCluster.CallAsync(http, HttpMethod.Get, $"/api/v1/operations/{rush.OperationId}/bookings", BookingRush.Coordinator(country));
            // The organiser sees every booking, but returnee ids only of its own: each country lists its own.
            listed.AddRange(items.GetProperty("items").EnumerateArray().Where(b => b.GetProperty("country").GetString() == country).Select(b => (b.GetProperty("id").GetString()!, b.GetProperty("country").GetString()!,
                b.GetProperty("status").GetString()!, b.GetProperty("seats").GetInt32(),
                b.GetProperty("returnees").EnumerateArray().Select(r => r.GetString()!).ToHashSet())));
        }
        var byId = listed.ToDictionary(b => b.Id);
        var acknowledged = rush.Bookings.Where(b => b.BookingId is not null).ToList();
        foreach (var booking in acknowledged)
        {
            if (!byId.TryGetValue(booking.BookingId!, out var stored))
            {
                broken.Add($"{booking.Key}: answered {booking.BookingStatus} as {booking.BookingId}, which does not exist");
                continue;
            }
            if (!(stored.Status == booking.BookingStatus || (booking.BookingStatus == "Waitlisted" && stored.Status == "Confirmed")))
            {
                broken.Add($"{booking.BookingId}: answered {booking.BookingStatus}, now {stored.Status}");
            }
            if (!stored.Returnees.SetEquals(booking.Returnees) || stored.Seats != booking.Seats || stored.Country != booking.Country)
            {
                broken.Add($"{booking.BookingId}: stored {stored.Country} {stored.Seats} seats [{string.Join(",", stored.Returnees)}], asked {booking.Country} {booking.Seats} [{string.Join(",", booking.Returnees)}]");
            }
        }
        foreach (var duplicate in acknowledged.GroupBy(b => b.BookingId).Where(g => g.Count() > 1))
        {
            broken.Add($"{duplicate.Key} was answered to {duplicate.Count()} different keys");
        }
        var acknowledgedIds = acknowledged.Select(b => b.BookingId!).ToHashSet();
        foreach (var orphan in listed.Where(b => !acknowledgedIds.Contains(b.Id)))
        {
            broken.Add($"{orphan.Id} ({orphan.Country}, {orphan.Status}) exists but no client was told of it");
        }
        foreach (var twice in listed.SelectMany(b => b.Returnees.Select(r => (Returnee: r, b.Id))).GroupBy(x => x.Returnee).Where(g => g.Count() > 1))
        {
            broken.Add($"returnee {twice.Key} is in bookings {string.Join(", ", twice.Select(x => x.Id))}");
        }

        var operation = await DrillCluster.CallAsync(http, HttpMethod.Get, $"/api/v1/operations/{rush.OperationId}", BookingRush.Coordinator(BookingRush.Organiser));
        var seats = operation.GetProperty("seats");
        int Seat(string name) => seats.GetProperty(name).GetInt32();
        var confirmed = listed.Where(b => b.Status == "Confirmed").Sum(b => b.Seats);
        var waitlisted = listed.Where(b => b.Status == "Waitlisted").Sum(b => b.Seats);
        if (Seat("confirmed") > BookingRush.Capacity)
        {
            broken.Add($"{Seat("confirmed")} seats confirmed on {BookingRush.Capacity}");
        }
        if (Seat("confirmed") != confirmed || Seat("waitlisted") != waitlisted || Seat("free") != BookingRush.Capacity - confirmed)
        {
            broken.Add($"operation counts {seats} but its bookings hold {confirmed} confirmed and {waitlisted} waitlisted seats");
        }
        if (confirmed + waitlisted != acknowledged.Sum(b => b.Seats))
        {
            broken.Add($"{confirmed} + {waitlisted} seats held, {acknowledged.Sum(b => b.Seats)} acknowledged");
        }
        // Nothing was cancelled, so free seats only shrank: a waitlisted booking that fits now was passed over (first fit).
        foreach (var skipped in listed.Where(b => b.Status == "Waitlisted" && b.Seats <= BookingRush.Capacity - confirmed))
        {
            broken.Add($"{skipped.Id} waits for {skipped.Seats} seats while {BookingRush.Capacity - confirmed} are free");
        }

        var outbox = await cluster.OutboxAsync();
        foreach (var booking in acknowledged)
        {
            var type = "booking." + booking.BookingStatus!.ToLowerInvariant();
            var destinations = new List<string> { "country:" + booking.Country, "role:secretariat" };
            if (booking.Country != BookingRush.Organiser)
            {
                destinations.Add("country:" + BookingRush.Organiser);
            }
            foreach (var destination in destinations)
            {
                var notices = outbox.Count(m => m.Destination == destination && m.Type == type && m.Payload.Contains(booking.BookingId!, StringComparison.Ordinal));
                if (notices != 1)
                {
                    broken.Add($"{booking.BookingId}: {notices} {type} notices to {destination}, expected exactly 1");
                }
            }
        }
        return broken;
    }

    /// <summary>Nothing left pending or dead; every message to a country delivered and applied exactly once at its partner, in lane order.</summary>
    public static async Task<List<string>> DeliveriesAsync(DrillCluster cluster, Partner partner)
    {
        var broken = new List<string>();
        var outbox = await cluster.OutboxAsync();
        foreach (var status in outbox.GroupBy(m => m.Status).Where(g => g.Key is "pending" or "dead"))
        {
            broken.Add($"{status.Count()} outbox messages {status.Key}, e.g. {status.First().Type} to {status.First().Destination}");
        }
        var subscribed = BookingRush.Countries.Select(c => "country:" + c).ToHashSet();
        var toCountries = outbox.Where(m => subscribed.Contains(m.Destination)).ToList();
        // Every other address has no webhook: the role feeds and the destination, whose partner did not subscribe.
        foreach (var kept in outbox.Where(m => !subscribed.Contains(m.Destination) && m.Status != "unrouted"))
        {
            broken.Add($"{kept.MessageId} ({kept.Type} to {kept.Destination}) is {kept.Status}, expected unrouted");
        }
        foreach (var undelivered in toCountries.Where(m => m.Status != "delivered"))
        {
            broken.Add($"{undelivered.MessageId} ({undelivered.Type} to {undelivered.Destination}) is {undelivered.Status}");
        }
        var applied = partner.Applied;
        var appliedIds = applied.Select(a => a.MessageId).ToHashSet();
        foreach (var missing in toCountries.Where(m => !appliedIds.Contains(m.MessageId)))
        {
            broken.Add($"{missing.MessageId} ({missing.Type} to {missing.Destination}) never reached the partner");
        }
        if (applied.Count != appliedIds.Count)
        {
            broken.Add($"the partner applied {applied.Count} messages but only {appliedIds.Count} distinct ids");
        }
        // In order per destination and operation: the first arrival of each message follows the outbox order.
        var rows = toCountries.ToDictionary(m => m.MessageId);
        foreach (var lane in applied.Where(a => rows.ContainsKey(a.MessageId)).Select(a => rows[a.MessageId]).GroupBy(m => m.Destination))
        {
            var ids = lane.Select(m => m.Id).ToList();
            if (!ids.SequenceEqual(ids.Order()))
            {
                broken.Add($"{lane.Key}: applied out of outbox order");
            }
        }
        return broken;
    }
}
