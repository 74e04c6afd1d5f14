using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Operations;

/// <summary>The rules one booking is judged by before it takes a seat: eligibility, escorts, families, size.</summary>
public sealed partial class ReturnOperationGrain
{
    /// <summary>Every rule a booking can break on its own: counts, eligibility (rules 1-6), escort ratio (8), capacity (11), destination (21).</summary>
    private List<RuleViolation> CheckBooking(Booking booking, Reservation[] assessed, string country)
    {
        var violations = new List<RuleViolation>();
        if (new[] { booking.Escorts, booking.Medical, booking.Monitors, booking.Interpreters, booking.Observers }.Any(n => n < 0)
            || booking.Seats == 0 || assessed.Select(r => r.ReturneeId).Distinct().Count() != assessed.Length)
        {
            violations.Add(new(RuleCode.Validation, "A booking takes at least one seat, with distinct returnees and no negative staff count."));
        }
        foreach (var returnee in assessed)
        {
            violations.AddRange(returnee.Owner == country
                ? returnee.Violations.Select(v => v with { Detail = $"{returnee.ReturneeId}: {v.Detail}" })
                : [new RuleViolation(RuleCode.Validation, $"{returnee.ReturneeId}: not a returnee of {country}.")]);
        }
        violations.AddRange(CheckDestinationOfReturn(assessed.Where(r => r.Owner == country)));
        violations.AddRange(CheckEscorts(booking, country, assessed.Count(r => r.Forced)));
        violations.AddRange(CheckVoluntaryOnly(assessed));
        if (Plan.Type == OperationType.VoluntaryCharter && booking.Escorts > 0)
        {
            // "No escorts, no coercion": accompanying staff (social workers, counsellors) travel as observers.
            violations.Add(new(RuleCode.VoluntaryOnly, $"A voluntary-return charter carries no escorts; {booking.Escorts} were booked (book accompanying staff as observers)."));
        }
        if (booking.Seats > Plan.SeatCapacity)
        {
            violations.Add(new(RuleCode.Capacity, $"The booking needs {booking.Seats} seats; the aircraft has {Plan.SeatCapacity}."));
        }
        return violations;
    }

    /// <summary>
    /// Rule 8: a state brings the escorts for its forced returnees, or, when the organiser supplies every escort,
    /// still sends at least <see cref="EscortRatio.MinimumRepresentatives"/> representatives (escorts or observers).
    /// </summary>
    private IEnumerable<RuleViolation> CheckEscorts(Booking booking, string country, int forced)
    {
        var required = EscortRatio.Required(Plan.Type, S.EscortsPerReturnee, forced);
        if (Plan.OrganiserSuppliesEscorts && country != Plan.Organiser)
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
    private IEnumerable<RuleViolation> CheckDestinationOfReturn(IEnumerable<Reservation> assessed) =>
        assessed.Where(r => r.CountriesOfReturn is { } countries && !countries.Intersect(Plan.Destinations, StringComparer.OrdinalIgnoreCase).Any())
            .Select(r => new RuleViolation(RuleCode.DestinationOfReturn,
                $"{r.ReturneeId}: the operation goes to {string.Join(", ", Plan.Destinations)}, neither the returnee's nationality nor a country that accepted the returnee's readmission."));

    /// <summary>A voluntary-return charter carries no forced returnee ("no escorts, no coercion").</summary>
    private IEnumerable<RuleViolation> CheckVoluntaryOnly(IEnumerable<Reservation> assessed) => Plan.Type != OperationType.VoluntaryCharter ? []
        : assessed.Where(r => r.Forced).Select(r => new RuleViolation(RuleCode.VoluntaryOnly,
            $"{r.ReturneeId}: a forced returnee cannot travel on a voluntary-return charter."));

    /// <summary>Rule 4: every registered member of a family in the booking must be in the same booking.</summary>
    private async Task<List<RuleViolation>> CheckFamilies(string country, IReadOnlyList<string> returnees, Reservation[] assessed)
    {
        var violations = new List<RuleViolation>();
        foreach (var group in assessed.Where(r => r.FamilyGroup is not null).Select(r => r.FamilyGroup!).Distinct())
        {
            var members = await GrainFactory.GetGrain<IFamilyGroupGrain>(FamilyGroupGrain.KeyFor(country, group)).Members();
            if (members.Except(returnees).Any())
            {
                violations.Add(new(RuleCode.FamilyUnity, $"Family group {group} must travel together: a member is missing from the booking."));
            }
        }
        return violations;
    }
}
