using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// What confirming an operation needs: rules 7 (a monitor), 9 (escorts, medical staff), 13 (every destination's clearance or
/// the organiser's override with a reason), the re-check of rules 1-6, 8 and 21 for every confirmed returnee on its case now,
/// voluntary-only and rule 6 for staff.
/// </summary>
public static class ConfirmationRules
{
    /// <summary>Throws with every broken rule; <paramref name="assessed"/> is each confirmed, travelling returnee judged now.</summary>
    public static void Check(string operationId, ReturnOperationState state, IReadOnlyList<Reservation> assessed, StatusChange change)
    {
        if (Violations(operationId, state, assessed, change) is { Count: > 0 } violations)
        {
            throw new DomainRuleException(violations);
        }
    }

    public static List<RuleViolation> Violations(string operationId, ReturnOperationState state, IReadOnlyList<Reservation> assessed, StatusChange change)
    {
        var plan = state.Plan ?? throw new ResourceNotFoundException($"Operation {operationId} not found.");
        var violations = new List<RuleViolation>();
        var confirmed = state.Bookings.Where(b => b.Status == BookingStatus.Confirmed).ToList();
        // Forced or voluntary as the cases say now: a case that turned forced since booking needs its escorts too (rule 8).
        var forcedNow = assessed.ToDictionary(r => r.ReturneeId, r => r.Forced);
        var forced = 0;
        foreach (var booking in confirmed)
        {
            var forcedInBooking = booking.Travelling.Count(r => forcedNow[r.Id]);
            forced += forcedInBooking;
            violations.AddRange(BookingRules.Escorts(plan, state.EscortsPerReturnee, booking, forcedInBooking).Select(v => v with { Detail = $"Booking {booking.Id}: {v.Detail}" }));
        }
        if (forced > 0 && state.AssignedMonitors.Count == 0 && confirmed.Sum(b => b.Monitors) == 0)
        {
            violations.Add(new(RuleCode.MonitorRequired, "A forced-return operation needs at least one forced-return monitor."));
        }
        var organiserEscorts = confirmed.Where(b => b.Country == plan.Organiser).Sum(b => b.Escorts);
        var allEscorts = EscortRatio.Required(plan.Type, state.EscortsPerReturnee, forced);
        if (plan.OrganiserSuppliesEscorts && organiserEscorts < allEscorts)
        {
            violations.Add(new(RuleCode.EscortRatio, $"The organiser supplies the escorts: {allEscorts} are needed, it booked {organiserEscorts}."));
        }
        if (plan.Type != OperationType.ScheduledFlight && confirmed.Sum(b => b.Medical) == 0)
        {
            violations.Add(new(RuleCode.MedicalStaff, "A charter needs at least one medical staff member."));
        }
        if (!new DestinationClearance(operationId, state).ByEveryDestination() && !(change.OverrideClearance && !string.IsNullOrWhiteSpace(change.Reason)))
        {
            violations.Add(new(RuleCode.ManifestClearance, "Every destination must clear the current manifest, or the organiser overrides with a reason."));
        }
        violations.AddRange(assessed.SelectMany(r => r.Violations.Select(v => v with { Detail = $"{r.ReturneeId}: {v.Detail}" })));
        violations.AddRange(BookingRules.VoluntaryOnly(plan, assessed));
        violations.AddRange(BookingRules.DestinationOfReturn(plan, assessed));
        violations.AddRange(new StaffNaming(state).CheckNamed(confirmed));
        return violations;
    }

    /// <summary>The returnees to judge again before confirming: every travelling returnee of a confirmed booking.</summary>
    public static IEnumerable<string> ToAssess(ReturnOperationState state) =>
        state.Bookings.Where(b => b.Status == BookingStatus.Confirmed).SelectMany(b => b.Travelling).Select(r => r.Id);
}
