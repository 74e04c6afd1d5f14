using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>
/// The rules one booking is judged by before it takes a seat: counts, eligibility (rules 1-6), families (4), escort ratio (8),
/// capacity (11), voluntary charters and the destination of return (21). Plain functions of the plan and the returnees'
/// judgments: no grain, no I/O, so they are tested directly and confirmation re-checks them the same way.
/// </summary>
public static class BookingRules
{
    /// <summary>Every rule a booking can break on its own, on the returnees' judgments and their families' members.</summary>
    /// <param name="families">The registered members of each family group named in <paramref name="judged"/>, by group.</param>
    public static List<RuleViolation> Check(OperationPlan plan, decimal escortsPerReturnee, Booking booking, IReadOnlyList<Reservation> judged,
        IReadOnlyDictionary<string, IReadOnlyList<string>> families)
    {
        var country = booking.Country;
        var violations = new List<RuleViolation>();
        if (new[] { booking.Escorts, booking.Medical, booking.Monitors, booking.Interpreters, booking.Observers }.Any(n => n < 0)
            || booking.Seats == 0 || judged.Select(r => r.ReturneeId).Distinct().Count() != judged.Count)
        {
            violations.Add(new(RuleCode.Validation, "A booking takes at least one seat, with distinct returnees and no negative staff count."));
        }
        foreach (var returnee in judged)
        {
            violations.AddRange(returnee.Owner == country
                ? returnee.Violations.Select(v => v with { Detail = $"{returnee.ReturneeId}: {v.Detail}" })
                : [new RuleViolation(RuleCode.Validation, $"{returnee.ReturneeId}: not a returnee of {country}.")]);
        }
        violations.AddRange(DestinationOfReturn(plan, judged.Where(r => r.Owner == country)));
        violations.AddRange(Escorts(plan, escortsPerReturnee, booking, judged.Count(r => r.Forced)));
        violations.AddRange(VoluntaryOnly(plan, judged));
        if (plan.Type == OperationType.VoluntaryCharter && booking.Escorts > 0)
        {
            // "No escorts, no coercion": accompanying staff (social workers, counsellors) travel as observers.
            violations.Add(new(RuleCode.VoluntaryOnly, $"A voluntary-return charter carries no escorts; {booking.Escorts} were booked (book accompanying staff as observers)."));
        }
        if (booking.Seats > plan.SeatCapacity)
        {
            violations.Add(new(RuleCode.Capacity, $"The booking needs {booking.Seats} seats; the aircraft has {plan.SeatCapacity}."));
        }
        violations.AddRange(Families(judged, families));
        return violations;
    }

    /// <summary>
    /// Rule 8: a state brings the escorts for its forced returnees, or, when the organiser supplies every escort,
    /// still sends at least <see cref="EscortRatio.MinimumRepresentatives"/> representatives (escorts or observers).
    /// </summary>
    public static IEnumerable<RuleViolation> Escorts(OperationPlan plan, decimal escortsPerReturnee, Booking booking, int forced)
    {
        var required = EscortRatio.Required(plan.Type, escortsPerReturnee, forced);
        if (plan.OrganiserSuppliesEscorts && booking.Country != plan.Organiser)
        {
            var representatives = booking.Escorts + booking.Observers;
            if (booking.ReturneeCount > 0 && representatives < EscortRatio.MinimumRepresentatives)
            {
                yield return new(RuleCode.EscortRatio,
                    $"The organiser supplies the escorts; each state still sends {EscortRatio.MinimumRepresentatives} representatives, {representatives} were booked.");
            }
        }
        else if (booking.Escorts < required)
        {
            yield return new(RuleCode.EscortRatio, $"{required} escorts are needed for the forced returnees of this booking, {booking.Escorts} were booked.");
        }
    }

    /// <summary>
    /// Rule 21: a returnee travels only to a country of return, the nationality or a destination that accepted the readmission
    /// (third-country and transit clauses). The detail names the returnee, not the nationality: the organiser may read it.
    /// </summary>
    public static IEnumerable<RuleViolation> DestinationOfReturn(OperationPlan plan, IEnumerable<Reservation> judged) =>
        judged.Where(r => r.CountriesOfReturn is { } countries && !countries.Intersect(plan.Destinations, StringComparer.OrdinalIgnoreCase).Any())
            .Select(r => new RuleViolation(RuleCode.DestinationOfReturn,
                $"{r.ReturneeId}: the operation goes to {string.Join(", ", plan.Destinations)}, neither the returnee's nationality nor a country that accepted the returnee's readmission."));

    /// <summary>A voluntary-return charter carries no forced returnee ("no escorts, no coercion").</summary>
    public static IEnumerable<RuleViolation> VoluntaryOnly(OperationPlan plan, IEnumerable<Reservation> judged) => plan.Type != OperationType.VoluntaryCharter ? []
        : judged.Where(r => r.Forced).Select(r => new RuleViolation(RuleCode.VoluntaryOnly,
            $"{r.ReturneeId}: a forced returnee cannot travel on a voluntary-return charter."));

    /// <summary>Rule 4: every registered member of a family in the booking must be in the same booking.</summary>
    public static IEnumerable<RuleViolation> Families(IReadOnlyList<Reservation> judged, IReadOnlyDictionary<string, IReadOnlyList<string>> families)
    {
        var booked = judged.Select(r => r.ReturneeId).ToHashSet(StringComparer.Ordinal);
        foreach (var group in judged.Where(r => r.FamilyGroup is not null).Select(r => r.FamilyGroup!).Distinct())
        {
            if (families.TryGetValue(group, out var members) && members.Any(m => !booked.Contains(m)))
            {
                yield return new(RuleCode.FamilyUnity, $"Family group {group} must travel together: a member is missing from the booking.");
            }
        }
    }
}
