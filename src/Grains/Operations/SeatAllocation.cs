namespace ReturnOps.Grains.Operations;

/// <summary>
/// Rule 11 and the waitlist: a booking is confirmed whole if its seats fit, else waitlisted whole;
/// freed seats go to waitlisted bookings in arrival order, first fit. Pure, so the property test can
/// drive it directly and the grain's turn makes it atomic.
/// </summary>
internal static class SeatAllocation
{
    /// <summary>Enumerable.Sum is checked: an overflow throws rather than wraps.</summary>
    public static int ConfirmedSeats(IEnumerable<Booking> bookings) =>
        bookings.Where(b => b.Status == BookingStatus.Confirmed).Sum(b => b.Seats);

    /// <summary>Places a new (or reinstated) booking: confirmed if it fits now, else at the end of the waitlist.</summary>
    public static void Place(Booking booking, IReadOnlyList<Booking> bookings, int capacity)
    {
        var free = checked(capacity - ConfirmedSeats(bookings.Where(b => b != booking)));
        booking.Status = booking.Seats <= free ? BookingStatus.Confirmed : BookingStatus.Waitlisted;
    }

    /// <summary>Confirms waitlisted bookings in arrival order while they fit; returns the promoted ones.</summary>
    public static IReadOnlyList<Booking> Promote(IReadOnlyList<Booking> bookings, int capacity)
    {
        var free = checked(capacity - ConfirmedSeats(bookings));
        var promoted = new List<Booking>();
        foreach (var waiting in bookings.Where(b => b.Status == BookingStatus.Waitlisted).OrderBy(b => b.Sequence))
        {
            if (waiting.Seats <= free)
            {
                waiting.Status = BookingStatus.Confirmed;
                free = checked(free - waiting.Seats);
                promoted.Add(waiting);
            }
        }
        return promoted;
    }
}

/// <summary>Rule 8: escorts each state must bring for its forced returnees.</summary>
public static class EscortRatio
{
    public const decimal Default = 2m;

    /// <summary>Decision 2004/573: a participating state sends at least two representatives even when the organiser escorts.</summary>
    public const int MinimumRepresentatives = 2;

    /// <summary>Collecting operations bring the destination's escorts; voluntary charters have none.</summary>
    public static int Required(OperationType type, decimal perReturnee, int forcedReturnees) => type switch
    {
        OperationType.Collecting or OperationType.VoluntaryCharter => 0,
        _ => checked((int)Math.Ceiling(perReturnee * forcedReturnees)),
    };
}
