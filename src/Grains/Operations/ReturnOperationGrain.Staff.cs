using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>Naming a booking's staff (rule 6, <see cref="StaffNaming"/>).</summary>
public sealed partial class ReturnOperationGrain
{
    public async Task<BookingView> NameStaff(Caller caller, string bookingId, IReadOnlyList<StaffMember> staff, long? expectedVersion = null)
    {
        _ = Plan;
        var booking = OwnBooking(caller, bookingId);
        if (StaffNaming.Repeats(booking, staff))
        {
            // A repeated PUT: answer as the first time although its own write moved the version.
            return OperationBookings.View(booking, withReturnees: true);
        }
        Bookings.CheckRevision(expectedVersion);
        if (new StaffNaming(S).Name(booking, staff))
        {
            Send(Bookings.Announce(booking, "booking.staff-named"));
            await Save();
        }
        return OperationBookings.View(booking, withReturnees: true);
    }
}
