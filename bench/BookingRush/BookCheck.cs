namespace ReturnOps.BookingRush;

/// <summary>A booking a client was told was stored, and what became of its cancellation, if it asked for one.</summary>
public sealed record Acknowledged(int Operation, string Id, Cancellation Cancellation);

public enum Cancellation
{
    /// <summary>The client did not cancel it.</summary>
    None,

    /// <summary>Answered 204.</summary>
    Done,

    /// <summary>Asked, but answered with an error: either outcome may be stored.</summary>
    Unknown,
}

/// <summary>
/// After a run, the stored state read back from the system against what its clients were told: no operation
/// overbooked, no acknowledged booking lost, none stored twice, every acknowledged cancellation applied (and no other),
/// nothing stored that no client was told of (beyond requests that failed with an error), and no waitlisted booking
/// left that the free seats would take (the waitlist was promoted).
/// </summary>
internal static class BookCheck
{
    public static async Task<string> RunAsync(BookingSystem system, int operations, IReadOnlyList<Acknowledged> acknowledged, int failedBookings)
    {
        IReadOnlyList<StoredOperation> stored;
        try
        {
            stored = await system.ReadBackAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            return "read-back failed: " + ex.Message;
        }
        var problems = new List<string>();
        if (stored.Count != operations)
        {
            problems.Add($"{stored.Count} operations read back, {operations} planned");
        }
        var unacknowledged = 0;
        for (var i = 0; i < Math.Min(operations, stored.Count); i++)
        {
            var operation = stored[i];
            var told = acknowledged.Where(a => a.Operation == i).ToList();
            if (operation.ConfirmedSeats > operation.Capacity)
            {
                problems.Add($"{operation.Operation} OVERBOOKED: {operation.ConfirmedSeats} seats confirmed > {operation.Capacity}");
            }
            var twice = operation.Bookings.GroupBy(b => b.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (twice.Count > 0)
            {
                problems.Add($"{operation.Operation}: {twice.Count} bookings stored twice (first {twice[0]})");
            }
            var byId = operation.Bookings.GroupBy(b => b.Id).ToDictionary(g => g.Key, g => g.First());
            var lost = told.Where(a => !byId.ContainsKey(a.Id)).ToList();
            if (lost.Count > 0)
            {
                problems.Add($"{operation.Operation}: {lost.Count} acknowledged bookings LOST (first {lost[0].Id})");
            }
            var notCancelled = told.Where(a => a.Cancellation == Cancellation.Done && byId.TryGetValue(a.Id, out var b) && b.Status != "Cancelled").ToList();
            if (notCancelled.Count > 0)
            {
                problems.Add($"{operation.Operation}: {notCancelled.Count} acknowledged cancellations not applied (first {notCancelled[0].Id})");
            }
            var cancelledUnasked = told.Where(a => a.Cancellation == Cancellation.None && byId.TryGetValue(a.Id, out var b) && b.Status == "Cancelled").ToList();
            if (cancelledUnasked.Count > 0)
            {
                problems.Add($"{operation.Operation}: {cancelledUnasked.Count} bookings cancelled that no client cancelled (first {cancelledUnasked[0].Id})");
            }
            var toldIds = told.Select(a => a.Id).ToHashSet();
            unacknowledged += byId.Keys.Count(id => !toldIds.Contains(id));
            var free = operation.Capacity - operation.ConfirmedSeats;
            var fits = operation.Bookings.Where(b => b.Status == "Waitlisted" && b.Seats <= free).ToList();
            if (fits.Count > 0)
            {
                problems.Add($"{operation.Operation}: {fits.Count} waitlisted bookings fit the {free} free seats (waitlist not promoted; first {fits[0].Id})");
            }
        }
        if (unacknowledged > failedBookings)
        {
            problems.Add($"{unacknowledged} bookings stored that no client was told of, more than the {failedBookings} requests that failed");
        }
        return problems.Count == 0 ? "ok" : string.Join("; ", problems);
    }
}
