using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>Who keeps a seat on a booking once it stands: one returnee removed, suspended (the early warning) or reinstated.</summary>
public sealed partial class OperationBookings
{
    /// <summary>
    /// Takes one returnee off a booking (a destination rejected the person), keeping the rest of the booking: its seat goes
    /// to the waitlist in the same decision, as a cancellation's do. Rule 4: the members of its family in this booking leave
    /// with it (a family travels together or not at all), as they stop with it when it is suspended. A removal that would take
    /// everyone off is not made: that is a cancellation. <see cref="Removal.Returnees"/> names everyone who left.
    /// </summary>
    public Removal Remove(Booking booking, string returneeId, long? expectedRevision)
    {
        CheckRevision(expectedRevision);
        if (state.Status is OperationStatus.Departed or OperationStatus.Completed or OperationStatus.Cancelled || booking.Status == BookingStatus.Cancelled)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "A returnee is removed from a booking that stands, until departure.");
        }
        var returnee = booking.Returnees.Find(r => r.Id == returneeId)
            ?? throw new ResourceNotFoundException($"Returnee {returneeId} is not on booking {booking.Id}.");
        var leaving = WithFamily(booking.Returnees, returnee);
        if (leaving.Count == booking.Returnees.Count)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, leaving.Count == 1
                ? "This is the booking's last returnee: cancel the booking instead."
                : "This returnee's family is everyone on the booking, and a family travels together (rule 4): cancel the booking instead.");
        }
        var seatFreed = booking.Status == BookingStatus.Confirmed && leaving.Exists(r => !r.Suspended);
        foreach (var member in leaving)
        {
            booking.Returnees.Remove(member);
            (booking.Removed ??= []).Add(member.Id);
        }
        booking.Recount();
        var notices = Announce(booking, "booking.returnee-removed");
        notices.AddRange(FreeSeats(seatFreed));
        state.Revision++;
        return new(new(View(booking, withReturnees: true), notices), [.. leaving.Select(r => r.Id)]);
    }

    /// <summary>
    /// Early warning (rule 2): a booked returnee became ineligible. Its seat is suspended, not the booking: the country's other
    /// returnees keep theirs. Rule 4: its family in this booking stops too. A booking left with nobody to escort stops whole.
    /// Null when the returnee holds no seat here or the operation has left.
    /// </summary>
    public BookingDecision? Suspend(string returneeId, IReadOnlyList<string> rules)
    {
        var booking = state.Bookings.Find(b => b.Holds && b.Travelling.Any(r => r.Id == returneeId));
        if (booking is null || state.Status is OperationStatus.Departed or OperationStatus.Completed or OperationStatus.Cancelled)
        {
            return null;
        }
        var ineligible = booking.Returnees.Single(r => r.Id == returneeId);
        var stopping = WithFamily(booking.Travelling, ineligible);
        var wasConfirmed = booking.Status == BookingStatus.Confirmed;
        var seatsBefore = booking.Seats;
        stopping.ForEach(r => r.Suspended = true);
        booking.Recount();
        if (booking.ReturneeCount == 0)
        {
            booking.Status = BookingStatus.Suspended;
        }
        state.Suspensions++;
        var freed = booking.Status == BookingStatus.Suspended ? seatsBefore : seatsBefore - booking.Seats;
        var warning = new Notification("booking.suspended", BookingId: booking.Id, Country: booking.Country, Status: booking.Status.ToString(),
            Rules: rules, Seats: freed);
        var notices = new List<Notice> { new(Destination.Country(Plan.Organiser), warning) };
        if (booking.Country != Plan.Organiser)
        {
            notices.Add(new(Destination.Country(booking.Country), warning));
        }
        notices.Add(new(Destination.Carriers(operationId), warning));
        notices.AddRange(FreeSeats(wasConfirmed));
        state.Revision++;
        return new(View(booking, withReturnees: true), notices);
    }

    /// <summary>
    /// Brings a booking's suspended returnees back on their judgments now: eligibility, the escort ratio and the destination are
    /// judged again, and they come back only into seats that are free now; a booking suspended whole arrives again, behind
    /// every booking already waiting.
    /// </summary>
    public BookingDecision Reinstate(Booking booking, IReadOnlyList<Reservation> judged, long? expectedRevision)
    {
        CheckRevision(expectedRevision);
        var suspended = booking.Returnees.Where(r => r.Suspended).ToList();
        if (booking.Status == BookingStatus.Cancelled || suspended.Count == 0 || state.Status is not (OperationStatus.Announced or OperationStatus.BookingClosed))
        {
            throw new DomainRuleException(RuleCode.InvalidTransition,
                "Only a booking with suspended returnees, on an operation still being booked, can be reinstated.");
        }
        var assessed = judged.ToDictionary(r => r.ReturneeId);
        var forced = booking.Travelling.Count(r => r.Forced) + judged.Count(r => r.Forced);
        var violations = judged.SelectMany(r => r.Violations.Select(v => v with { Detail = $"{r.ReturneeId}: {v.Detail}" }))
            .Concat(BookingRules.Escorts(Plan, state.EscortsPerReturnee, booking, forced)).Concat(BookingRules.VoluntaryOnly(Plan, judged))
            .Concat(BookingRules.DestinationOfReturn(Plan, judged)).ToList();
        var free = checked(Plan.SeatCapacity - SeatAllocation.ConfirmedSeats(state.Bookings));
        if (booking.Status == BookingStatus.Confirmed && suspended.Count > free)
        {
            violations.Add(new(RuleCode.Capacity, $"{suspended.Count} seats are needed to bring the suspended returnees back, {free} are free."));
        }
        if (violations.Count > 0)
        {
            throw new DomainRuleException(violations);
        }
        foreach (var returnee in suspended)
        {
            returnee.Suspended = false;
            returnee.Forced = assessed[returnee.Id].Forced;
        }
        booking.Recount();
        if (booking.Status == BookingStatus.Suspended)
        {
            booking.Sequence = ++state.NextSequence;
            SeatAllocation.Place(booking, state.Bookings, Plan.SeatCapacity);
        }
        if (booking.Status == BookingStatus.Confirmed)
        {
            state.ManifestVersion++;
        }
        state.Revision++;
        return new(View(booking, withReturnees: true), Announce(booking, "booking.reinstated"));
    }

    /// <summary>Rule 4: <paramref name="returnee"/> and the members of its family among <paramref name="returnees"/>; they go or stay together.</summary>
    private static List<BookedReturnee> WithFamily(IEnumerable<BookedReturnee> returnees, BookedReturnee returnee) =>
        [.. returnees.Where(r => r == returnee || (returnee.FamilyGroup is not null && r.FamilyGroup == returnee.FamilyGroup))];
}
