using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Returnees;

/// <summary>Rules 1, 2, 3, 5, 6 and readmission: whether one person may be on an operation, with every reason.</summary>
public static class Eligibility
{
    public const string Refused = "Refused";

    /// <summary>A readmission accepted by reply or by silence where the agreement allows (rule 21).</summary>
    public const string Accepted = "Accepted";

    public static IReadOnlyList<RuleViolation> Check(ReturneeCase c, EligibilityContext context, IReadOnlyDictionary<string, string> readmission)
    {
        var violations = new List<RuleViolation>();
        var departure = DateOnly.FromDateTime(context.Departure.UtcDateTime);
        if (!c.DecisionEnforceable)
        {
            violations.Add(new(RuleCode.EnforceableDecision, "The return decision is not enforceable."));
        }
        if (c.AppealPending && c.AppealSuspensive)
        {
            violations.Add(new(RuleCode.SuspensiveAppeal, "An appeal with suspensive effect is pending: removal is postponed."));
        }
        if (!c.NonRefoulementCleared)
        {
            violations.Add(new(RuleCode.NonRefoulement, "Non-refoulement has not been cleared."));
        }
        if (c.UnaccompaniedMinor && string.IsNullOrWhiteSpace(c.ReceptionArrangement))
        {
            violations.Add(new(RuleCode.UnaccompaniedMinorReception, "An unaccompanied minor needs a recorded reception arrangement in the destination."));
        }
        if (c.MedicalFlag && (c.FitToTravelOn is not { } fit || fit > departure || fit < departure.AddDays(-context.FitToTravelWindowDays)))
        {
            violations.Add(new(RuleCode.FitToTravel,
                $"A medical flag needs a fit-to-travel record dated within {context.FitToTravelWindowDays} days before departure."));
        }
        if (c.TravelDocumentValidUntil is not { } valid || valid < departure)
        {
            violations.Add(new(RuleCode.TravelDocument, "No travel document valid on the day of departure."));
        }
        if (context.Destinations.Any(d => readmission.TryGetValue(d, out var status) && status == Refused))
        {
            violations.Add(new(RuleCode.Readmission, "The destination refused readmission."));
        }
        return violations;
    }
}
