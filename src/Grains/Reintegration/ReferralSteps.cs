using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Reintegration;

/// <summary>
/// The steps of rule 18 as a function of the referral: referral → accepted (or declined) → reception on arrival → plan →
/// assistance (one or more deliveries) → follow-ups at 6 and 12 months. A step out of order is 409 invalid-transition;
/// a malformed one 422 validation. Pure, so the order can be checked on any sequence of steps (a property test).
/// </summary>
public static class ReferralSteps
{
    public static readonly int[] FollowUpMonths = [6, 12];

    /// <summary>A follow-up not reached this long after its day is overdue.</summary>
    public static readonly TimeSpan FollowUpGrace = TimeSpan.FromDays(30);

    public const int MaxNoteLength = 2000;

    /// <summary>Ten million euros: far above any programme's grant, low enough that sums in cents stay exact.</summary>
    public const decimal MaxAmountEur = 10_000_000m;

    public static ReferralView Apply(ReferralView r, ReferralStepInput step, string recordedBy, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (step.On > today || step.On < DateOnly.FromDateTime(r.ReferredAt.UtcDateTime))
        {
            throw Invalid("A step happens between the day of the referral and today.");
        }
        if (step.Note is { Length: > MaxNoteLength } || step.Note?.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') == true)
        {
            throw Invalid($"A note is at most {MaxNoteLength} characters of text.");
        }
        if (r.IsClosed)
        {
            throw OutOfOrder($"The referral is {r.Status}: no step can follow.");
        }
        // Once the case is erased (rule 15) the outcomes still count, but no text about the person is kept.
        var note = r.Erased ? null : string.IsNullOrWhiteSpace(step.Note) ? null : step.Note.Trim();
        var recorded = r with { Steps = [.. r.Steps, new ReferralEvent(step.Step.ToString(), step.On, now, recordedBy)] };
        return step.Step switch
        {
            ReferralStep.Accept => Expect(r, ReferralStatus.Referred) with { Status = ReferralStatus.Accepted, Steps = recorded.Steps },
            ReferralStep.Decline => Expect(r, ReferralStatus.Referred) with
            {
                Status = ReferralStatus.Declined,
                Steps = recorded.Steps,
                DeclineReason = string.IsNullOrWhiteSpace(step.Note) ? throw Invalid("A refusal needs a reason (note).") : note,
            },
            ReferralStep.Reception => Expect(r, ReferralStatus.Accepted) with
            {
                Status = ReferralStatus.Received,
                Steps = recorded.Steps,
                ArrivedOn = step.On,
                FollowUps = [.. FollowUpMonths.Select(m => new FollowUp(m, step.On.AddMonths(m), FollowUpState.Scheduled))],
            },
            ReferralStep.Plan => Expect(r, ReferralStatus.Received) with
            {
                Status = ReferralStatus.Planned,
                Steps = recorded.Steps,
                PlanSummary = r.Erased || !string.IsNullOrWhiteSpace(step.Note) ? note : throw Invalid("A plan needs its summary (note)."),
            },
            ReferralStep.Assistance => Deliver(r, step) with { Steps = recorded.Steps },
            ReferralStep.FollowUp => Reach(r, step) with { Steps = recorded.Steps },
            _ => throw Invalid("Unknown step."),
        };
    }

    /// <summary>The follow-ups as the domain's clock sees them: due from their day, overdue after the grace.</summary>
    public static IReadOnlyList<FollowUp> Clock(IReadOnlyList<FollowUp> followUps, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var graceDays = (int)FollowUpGrace.TotalDays;
        return [.. followUps.Select(f => f.State == FollowUpState.Reached ? f
            : today >= f.DueOn.AddDays(graceDays) ? f with { State = FollowUpState.Overdue }
            : today >= f.DueOn ? f with { State = FollowUpState.Due }
            : f)];
    }

    /// <summary>Amounts in whole cents, for sums that stay exact in the read model.</summary>
    public static long Cents(decimal amountEur) => (long)(amountEur * 100m);

    private static ReferralView Deliver(ReferralView r, ReferralStepInput step)
    {
        if (r.Status is not (ReferralStatus.Planned or ReferralStatus.AssistanceDelivered))
        {
            throw OutOfOrder($"Assistance follows the reintegration plan; the referral is {r.Status}.");
        }
        if (step.Kind is not { } kind || step.AmountEur is not { } amount || amount <= 0 || amount > MaxAmountEur || decimal.Round(amount, 2) != amount)
        {
            throw Invalid($"Assistance needs a kind (Cash or InKind) and an amount in euros above 0 and at most {MaxAmountEur}, in cents at most.");
        }
        return r with { Status = ReferralStatus.AssistanceDelivered, Assistance = [.. r.Assistance, new AssistanceDelivery(kind, amount, step.On)] };
    }

    private static ReferralView Reach(ReferralView r, ReferralStepInput step)
    {
        if (step.Month is not { } month || !FollowUpMonths.Contains(month))
        {
            throw Invalid("A follow-up is at 6 or 12 months (month).");
        }
        var followUp = r.FollowUps.FirstOrDefault(f => f.Month == month)
            ?? throw OutOfOrder("Follow-ups are scheduled from the reception on arrival.");
        if (followUp.State is not (FollowUpState.Due or FollowUpState.Overdue))
        {
            throw OutOfOrder(followUp.State == FollowUpState.Reached
                ? $"The {month}-month follow-up is already recorded."
                : $"The {month}-month follow-up is due on {followUp.DueOn:yyyy-MM-dd}.");
        }
        if (step.On < followUp.DueOn)
        {
            throw Invalid($"The {month}-month follow-up happens on or after {followUp.DueOn:yyyy-MM-dd}.");
        }
        var reached = followUp with { State = FollowUpState.Reached, ReachedOn = step.On };
        var status = month == FollowUpMonths[^1] ? ReferralStatus.Completed : r.Status;
        return r with { Status = status, FollowUps = [.. r.FollowUps.Select(f => f.Month == month ? reached : f)] };
    }

    private static ReferralView Expect(ReferralView r, ReferralStatus status) =>
        r.Status == status ? r : throw OutOfOrder($"This step follows {status}; the referral is {r.Status}.");

    private static DomainRuleException OutOfOrder(string detail) => new(RuleCode.InvalidTransition, detail);

    private static DomainRuleException Invalid(string detail) => new(RuleCode.Validation, detail);
}
