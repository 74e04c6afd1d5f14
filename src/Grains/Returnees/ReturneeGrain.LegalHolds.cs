using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Returnees;

/// <summary>Legal holds on the case (rule 22): placed, read and lifted here, judged with the case in every eligibility check.</summary>
public sealed partial class ReturneeGrain
{
    public async Task<LegalHoldPlaced> PlaceLegalHold(Caller caller, string holdId, InterimMeasure measure)
    {
        LegalHolds.CheckAccess(caller, S.Erased ? null : S.Owner);
        if (S.LegalHolds.Find(h => h.Id == holdId) is { } placed)
        {
            // A retried request: the first one suspended the seat, and its outbox message is durable.
            return new LegalHoldPlaced(placed, null);
        }
        var now = clock.GetUtcNow();
        LegalHolds.Validate(measure, Today());
        var hold = new LegalHold(holdId, measure, Actor(caller), now);
        S.LegalHolds.Add(hold);
        // The early warning of rule 2, at once: the operation frees the seat and tells the organiser and the owning state.
        var suspended = hold.InForceOn(Today()) ? WarnIfIneligible(S.Owner!, [LegalHolds.Violation]) : null;
        await Save();
        return new LegalHoldPlaced(hold, suspended);
    }

    public async Task<LegalHold> LiftLegalHold(Caller caller, string holdId, string reason)
    {
        LegalHolds.CheckAccess(caller, S.Erased ? null : S.Owner);
        var index = S.LegalHolds.FindIndex(h => h.Id == holdId);
        if (index < 0)
        {
            throw new ResourceNotFoundException($"Legal hold {holdId} not found.");
        }
        var hold = S.LegalHolds[index];
        if (hold.Lifted is not null)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The hold was already lifted.");
        }
        LegalHolds.ValidateReason(reason);
        // Lifting frees nothing by itself: the owning state reinstates or books the person again, judged anew.
        S.LegalHolds[index] = hold with { Lifted = new LegalHoldLifting(Actor(caller), reason, clock.GetUtcNow()) };
        await Save();
        return S.LegalHolds[index];
    }

    public Task<IReadOnlyList<LegalHold>> LegalHoldsOf(Caller caller)
    {
        LegalHolds.CheckAccess(caller, S.Erased ? null : S.Owner);
        return Task.FromResult<IReadOnlyList<LegalHold>>([.. S.LegalHolds]);
    }

    /// <summary>
    /// Rules 1-6 and readmission on the case, and a hold in force today: a measure stops the removal while it runs, whatever
    /// end it may name (courts extend them), so the person is booked again only once it has ended.
    /// </summary>
    private List<RuleViolation> Violations(ReturneeCase c, EligibilityContext context) =>
        [.. Eligibility.Check(c, context, S.Readmission), .. LegalHolds.Check(S.LegalHolds, Today())];

    private static LegalHoldActor Actor(Caller caller) => new(caller.Role, caller.Country, caller.Subject);
}
