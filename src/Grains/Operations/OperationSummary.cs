namespace ReturnOps.Grains.Operations;

/// <summary>The operation as everyone who may see it sees it: plan, seats, participants, warnings, oversight.</summary>
public static class OperationSummary
{
    public static OperationView View(string operationId, ReturnOperationState state)
    {
        var plan = state.Plan ?? throw new InvalidOperationException("An operation without a plan has no view.");
        var confirmed = SeatAllocation.ConfirmedSeats(state.Bookings);
        var waitlisted = state.Bookings.Where(b => b.Status == BookingStatus.Waitlisted).Sum(b => b.Seats);
        var outstanding = new DestinationClearance(operationId, state).Outstanding();
        return new OperationView(operationId, plan.Type, plan.Organiser, plan.Destinations, plan.Legs, plan.SeatCapacity, plan.BookingDeadline,
            state.EscortsPerReturnee, state.Status, new SeatSummary(plan.SeatCapacity, confirmed, waitlisted, plan.SeatCapacity - confirmed),
            Participants(state), Warnings(state, outstanding), [.. state.AssignedMonitors],
            [.. state.Clearances.Select(c => new ClearanceView(c.Key, c.Value.Cleared, [.. c.Value.RejectedReturnees], c.Value.Reason,
                c.Value.ManifestVersion == state.ManifestVersion, outstanding.Contains(c.Key), c.Value.OverriddenBecause))],
            state.OverrideReason, state.Revision, state.ManifestShared, state.MonitorReports.Count > 0);
    }

    /// <summary>What access checks need: who organises, where it goes, where it stands; null for an operation not created.</summary>
    public static OperationAccessView? Access(ReturnOperationState state) =>
        state.Plan is { } plan ? new OperationAccessView(plan.Organiser, plan.Destinations, state.Status, state.Revision) : null;

    /// <summary>Per country holding seats: confirmed people and seats by role, and seats waiting.</summary>
    public static List<ParticipantSummary> Participants(ReturnOperationState state) =>
        [.. state.Bookings.Where(b => b.Holds).GroupBy(b => b.Country).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var confirmed = g.Where(b => b.Status == BookingStatus.Confirmed).ToList();
            return new ParticipantSummary(g.Key, confirmed.Sum(b => b.ReturneeCount), confirmed.Sum(b => b.Escorts), confirmed.Sum(b => b.Medical),
                confirmed.Sum(b => b.Monitors), confirmed.Sum(b => b.Interpreters), confirmed.Sum(b => b.Observers),
                confirmed.Sum(b => b.Seats), g.Where(b => b.Status == BookingStatus.Waitlisted).Sum(b => b.Seats));
        })];

    /// <summary>
    /// Rule 10: an interpreter is recommended, never required; rule 13: the destinations in <paramref name="rejectedBy"/> hold a
    /// rejection of the manifest. Warnings ask for action, so an ended operation has none.
    /// </summary>
    public static List<string> Warnings(ReturnOperationState state, IReadOnlyList<string> rejectedBy)
    {
        var warnings = new List<string>();
        if (state.Status is OperationStatus.Completed or OperationStatus.Cancelled)
        {
            return warnings;
        }
        var confirmed = state.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        if (confirmed.Sum(b => b.ReturneeCount) > 0 && confirmed.Sum(b => b.Interpreters) == 0)
        {
            warnings.Add("interpreter: no interpreter is booked (recommended on every operation)");
        }
        var suspended = state.Bookings.Where(b => b.Status != BookingStatus.Cancelled).Sum(b => b.Returnees.Count(r => r.Suspended));
        if (suspended > 0)
        {
            warnings.Add(suspended == 1
                ? "suspended: 1 returnee became ineligible after booking; the seat is suspended"
                : $"suspended: {suspended} returnees became ineligible after booking; their seats are suspended");
        }
        if (rejectedBy.Count > 0 && state.Status is OperationStatus.BookingClosed or OperationStatus.Confirmed)
        {
            // Issue 24: a rejection of the manifest is never silent; departure waits for it (DestinationClearance.CheckDeparture).
            warnings.Add($"manifest-rejected: the manifest was rejected by {string.Join(", ", rejectedBy)}; departure waits until it is cleared again, " +
                "the rejected people are removed, or the organiser overrides with a reason");
        }
        return warnings;
    }
}
