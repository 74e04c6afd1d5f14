using ReturnOps.Grains.Costs;
using ReturnOps.Grains.Operations;

namespace ReturnOps.Grains.Tests.Operations.Decisions;

/// <summary>
/// Rule 19 decided with no cluster (<see cref="ChargeableSeats"/>): a state pays for the most seats each booking held at once
/// from BookingClosed to departure, a seat released before BookingClosed costs nothing, and before it the basis is an estimate.
/// </summary>
public sealed class ChargeableSeatsTests
{
    [Fact]
    public void Before_booking_closed_nothing_is_recorded_and_the_basis_estimates_from_the_seats_confirmed_now()
    {
        var operation = Booked();
        operation.Cancel("hu");

        ChargeableSeats.Record(operation.State);

        Assert.All(operation.State.Bookings, b => Assert.Equal(0, b.CostSeats));
        var basis = ChargeableSeats.Basis(operation.State);
        Assert.Equal(SeatBasis.ConfirmedNow, basis.SeatBasis);
        Assert.Equal(new Dictionary<string, int> { ["DE"] = 3 }, basis.Seats);
    }

    [Fact]
    public void A_seat_held_after_booking_closed_is_paid_for_even_if_released_later()
    {
        var operation = Booked();
        operation.State.Status = OperationStatus.BookingClosed;
        ChargeableSeats.Record(operation.State);
        operation.Suspend("de-2");
        operation.Cancel("hu");
        ChargeableSeats.Record(operation.State);

        var basis = ChargeableSeats.Basis(operation.State);

        Assert.Equal(SeatBasis.HeldAfterBookingClosed, basis.SeatBasis);
        Assert.Equal(new Dictionary<string, int> { ["DE"] = 3, ["HU"] = 2 }, basis.Seats);
    }

    [Fact]
    public void Each_booking_keeps_the_most_seats_it_held_and_seats_after_departure_are_not_counted_again()
    {
        var operation = Booked();
        operation.State.Status = OperationStatus.Departed;
        ChargeableSeats.Record(operation.State);
        var departed = operation.State.Bookings.Select(b => b.CostSeats).ToList();
        operation.State.Status = OperationStatus.Completed;
        operation.Booking("de").Escorts++;

        ChargeableSeats.Record(operation.State);

        Assert.Equal([3, 2], departed);
        Assert.Equal(departed, operation.State.Bookings.Select(b => b.CostSeats));
    }

    private static AnnouncedOperation Booked()
    {
        var operation = new AnnouncedOperation();
        operation.Book("DE", "de", [Judged.Voluntary("DE", "de-1"), Judged.Voluntary("DE", "de-2")], medical: 1);
        operation.Book("HU", "hu", [Judged.Voluntary("HU", "hu-1")], medical: 1);
        return operation;
    }
}
