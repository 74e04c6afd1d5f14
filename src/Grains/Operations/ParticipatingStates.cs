namespace ReturnOps.Grains.Operations;

/// <summary>The states taking part in an operation: the organiser and every country with a booking that stands.</summary>
public static class ParticipatingStates
{
    public static IEnumerable<string> Of(ReturnOperationState state)
    {
        var plan = state.Plan ?? throw new InvalidOperationException("An operation without a plan has no participants.");
        return state.Bookings.Where(b => b.Status != BookingStatus.Cancelled).Select(b => b.Country).Append(plan.Organiser).Distinct();
    }
}
