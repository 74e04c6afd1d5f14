using ReturnOps.Grains.Costs;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Rule 19, the seats a state pays for: every seat its bookings held at departure, and every seat they held after BookingClosed
/// and released later (a late cancellation or suspension still costs the charter). Each booking keeps the most seats it held at
/// once in that time; a seat released before BookingClosed does not count.
/// </summary>
public static class ChargeableSeats
{
    /// <summary>
    /// Before every write: from BookingClosed to the write that records the departure, each confirmed booking's seats raise
    /// its <see cref="Booking.CostSeats"/>. After departure seats only go (no-shows), so the record is already complete.
    /// </summary>
    public static void Record(ReturnOperationState state)
    {
        if (state.Status is not (OperationStatus.BookingClosed or OperationStatus.Confirmed or OperationStatus.Departed))
        {
            return;
        }
        foreach (var booking in state.Bookings.Where(b => b.Status == BookingStatus.Confirmed))
        {
            booking.CostSeats = Math.Max(booking.CostSeats, booking.Seats);
        }
    }

    /// <summary>The seats per country the cost statement divides by; before BookingClosed an estimate from the seats confirmed now.</summary>
    public static CostBasis Basis(ReturnOperationState state)
    {
        var plan = state.Plan ?? throw new InvalidOperationException("An operation without a plan has no costs.");
        var estimate = state.Status is OperationStatus.Draft or OperationStatus.Announced;
        var seats = state.Bookings
            .Where(b => estimate ? b.Status == BookingStatus.Confirmed : b.CostSeats > 0)
            .GroupBy(b => b.Country, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(b => estimate ? b.Seats : b.CostSeats), StringComparer.Ordinal);
        return new CostBasis(plan.Organiser, state.Status, estimate ? SeatBasis.ConfirmedNow : SeatBasis.HeldAfterBookingClosed, seats);
    }
}
