using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// Rule 22's decisions, with no grain around them: who may place, read and lift a hold on a case, what a valid measure is,
/// and the violation a hold in force adds to every eligibility judgment (booking, confirmation, reinstatement).
/// </summary>
public static class LegalHolds
{
    public const int MaxText = 200;

    /// <summary>What every other party learns of a hold: that it exists and stops the removal, never its source or reference.</summary>
    public static RuleViolation Violation { get; } = new(RuleCode.LegalHold, "A legal hold (interim measure) stops this person's removal.");

    /// <summary>The violation when a hold is in force on <paramref name="day"/>, else none.</summary>
    public static IEnumerable<RuleViolation> Check(IEnumerable<LegalHold> holds, DateOnly day) =>
        holds.Any(h => h.InForceOn(day)) ? [Violation] : [];

    /// <summary>
    /// The owning state's coordinators and its courts act on its cases, the fundamental-rights officer on every case; anyone else
    /// learns nothing, not even that the case exists.
    /// </summary>
    public static void CheckAccess(Caller caller, string? owner)
    {
        var allowed = owner is not null
            && (caller.Role == Caller.Fro || ((caller.Role == Caller.Coordinator || caller.Role == Caller.Court) && caller.Country == owner));
        if (!allowed)
        {
            throw new ResourceNotFoundException("Returnee not found.");
        }
    }

    /// <summary>A measure names its source's reference, was ordered by today and ends no earlier than it was ordered.</summary>
    public static void Validate(InterimMeasure measure, DateOnly today)
    {
        var problems = new List<RuleViolation>();
        if (!Enum.IsDefined(measure.Source))
        {
            problems.Add(new(RuleCode.Validation, "source is EctHrRule39, NationalCourt or FundamentalRightsOfficer."));
        }
        if (!IsText(measure.Reference))
        {
            problems.Add(new(RuleCode.Validation, $"reference is the order's reference: 1 to {MaxText} characters, no control characters."));
        }
        if (measure.OrderedOn > today)
        {
            problems.Add(new(RuleCode.Validation, "orderedOn is not in the future."));
        }
        if (measure.Until is { } until && until < measure.OrderedOn)
        {
            problems.Add(new(RuleCode.Validation, "until is on or after orderedOn."));
        }
        if (problems.Count > 0)
        {
            throw new DomainRuleException(problems);
        }
    }

    /// <summary>A lifting says why, in words the record keeps.</summary>
    public static void ValidateReason(string reason)
    {
        if (!IsText(reason))
        {
            throw new DomainRuleException(RuleCode.Validation, $"A hold is lifted with a reason: 1 to {MaxText} characters, no control characters.");
        }
    }

    private static bool IsText(string? text) => !string.IsNullOrWhiteSpace(text) && text.Length <= MaxText && !text.Any(char.IsControl);
}
