namespace ReturnOps.RowLockingBaseline;

/// <summary>The body of <c>POST /operations/{id}/bookings</c>, the same shape as the gateway's.</summary>
public sealed record BookingInput(string[] Returnees, int Escorts, int Medical = 0, int Monitors = 0, int Interpreters = 0, int Observers = 0)
{
    public int Staff => Escorts + Medical + Monitors + Interpreters + Observers;
}

/// <summary>A stored booking as the caller sees it.</summary>
public sealed record BookingAnswer(long Id, string Status, int Seats);

/// <summary>What one booking request came to.</summary>
public abstract record BookingOutcome
{
    public sealed record Booked(BookingAnswer Booking) : BookingOutcome;

    public sealed record Refused(string Rule, string Detail) : BookingOutcome;

    public sealed record NotFound : BookingOutcome;
}

/// <summary>What one cancellation came to: done (or done before), unknown booking of this country, or the operation no longer open.</summary>
public enum CancelOutcome
{
    Cancelled,
    NotFound,
    Closed,
}
