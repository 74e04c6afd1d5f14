using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>An operation's plan: what a valid one looks like, and when a second create is the same request again.</summary>
public static class PlanRules
{
    /// <summary>Throws with every problem of <paramref name="plan"/> at <paramref name="now"/>.</summary>
    public static void Check(OperationPlan plan, DateTimeOffset now)
    {
        var problems = new List<string>();
        if (plan.Destinations.Count is < 1 or > 3 || plan.Destinations.Distinct().Count() != plan.Destinations.Count)
        {
            problems.Add("one to three distinct destinations");
        }
        if (plan.Legs.Count == 0)
        {
            problems.Add("at least one leg");
        }
        if (plan.SeatCapacity is <= 0 or > BookingLimits.MaxSeatCapacity)
        {
            problems.Add($"a seat capacity of 1 to {BookingLimits.MaxSeatCapacity}");
        }
        if (plan.EscortsPerReturnee is < 0 or > BookingLimits.MaxEscortsPerReturnee)
        {
            problems.Add($"a ratio of 0 to {BookingLimits.MaxEscortsPerReturnee} escorts per returnee");
        }
        if (plan.Legs.Count > 0 && plan.BookingDeadline > plan.Legs.Min(l => l.Departure))
        {
            problems.Add("a booking deadline before departure");
        }
        if (plan.BookingDeadline <= now)
        {
            problems.Add("a booking deadline in the future");
        }
        if (problems.Count > 0)
        {
            throw new DomainRuleException(RuleCode.Validation, "An operation needs " + string.Join(", ", problems) + ".");
        }
    }

    /// <summary>
    /// Creates the operation as a draft of <paramref name="plan"/>, legs in departure order. False when it exists already with
    /// the same plan (a retried create); another plan under the same id is refused.
    /// </summary>
    public static bool Create(ReturnOperationState state, OperationPlan plan, DateTimeOffset now)
    {
        if (state.Plan is { } existing)
        {
            return Same(existing, plan) ? false : throw new DomainRuleException(RuleCode.Validation, "This operation id is already used.");
        }
        Check(plan, now);
        state.Plan = plan with { Destinations = [.. plan.Destinations], Legs = [.. plan.Legs.OrderBy(l => l.Departure)] };
        state.EscortsPerReturnee = plan.EscortsPerReturnee ?? EscortRatio.Default;
        state.Status = OperationStatus.Draft;
        return true;
    }

    private static bool Same(OperationPlan a, OperationPlan b) =>
        a.Type == b.Type && a.Organiser == b.Organiser && a.OrganiserSuppliesEscorts == b.OrganiserSuppliesEscorts && a.SeatCapacity == b.SeatCapacity && a.BookingDeadline == b.BookingDeadline
        && a.Destinations.SequenceEqual(b.Destinations) && a.Legs.OrderBy(l => l.Departure).SequenceEqual(b.Legs.OrderBy(l => l.Departure));
}
