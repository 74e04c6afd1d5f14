using ReturnOps.Grains.Operations;

namespace ReturnOps.TestSupport;

/// <summary>Most callers of <see cref="IReturnOperationGrain.RequestBooking"/> want the booking, not whether it was a replay.</summary>
public static class BookingAnswers
{
    public static async Task<BookingView> Booking(this Task<BookingAnswer> answer) => (await answer).Booking;
}
