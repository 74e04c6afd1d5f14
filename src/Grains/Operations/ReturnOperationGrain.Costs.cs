using ReturnOps.Grains.Costs;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// Rule 19, the seats a state pays for: every seat its bookings held at departure, and every seat they held after BookingClosed
/// and released later (a late cancellation or suspension still costs the charter). Each booking keeps the most seats it held at
/// once in that time; a seat released before BookingClosed does not count.
/// </summary>
public sealed partial class ReturnOperationGrain
{
    public Task<CostBasis> GetCostBasis()
    {
        var plan = Plan;
        // Before BookingClosed nothing is held for cost yet: the statement estimates from the seats confirmed now.
        var estimate = S.Status is OperationStatus.Draft or OperationStatus.Announced;
        var seats = S.Bookings
            .Where(b => estimate ? b.Status == BookingStatus.Confirmed : b.CostSeats > 0)
            .GroupBy(b => b.Country, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(b => estimate ? b.Seats : b.CostSeats), StringComparer.Ordinal);
        return Task.FromResult(new CostBasis(plan.Organiser, S.Status, estimate ? SeatBasis.ConfirmedNow : SeatBasis.HeldAfterBookingClosed, seats));
    }

    /// <summary>
    /// Called on every write: from BookingClosed to the write that records the departure, each confirmed booking's seats
    /// raise its <see cref="Booking.CostSeats"/>. After departure seats only go (no-shows), so the record is already complete.
    /// </summary>
    private void RecordCostSeats()
    {
        if (S.Status is not (OperationStatus.BookingClosed or OperationStatus.Confirmed or OperationStatus.Departed))
        {
            return;
        }
        foreach (var booking in S.Bookings.Where(b => b.Status == BookingStatus.Confirmed))
        {
            booking.CostSeats = Math.Max(booking.CostSeats, booking.Seats);
        }
    }
}
