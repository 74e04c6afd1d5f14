using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Reintegration;

/// <summary>
/// Random sequences of provider steps, days passing and follow-up clock readings applied to a referral: whatever is
/// accepted keeps rule 18's order, and the amounts delivered add up exactly to those accepted.
/// </summary>
public sealed class ReferralStepsPropertyTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_order = ["Refer", "Accept", "Reception", "Plan", "Assistance"];

    public sealed record Move(ReferralStep Step, int DaysLater, int Cents, int Month, bool WithNote);

    private static readonly Gen<Move> s_move =
        from step in Gen.Elements(Enum.GetValues<ReferralStep>())
        from days in Gen.Elements(0, 0, 1, 40, 200)
        from cents in Gen.Choose(-100, 5_000_000)
        from month in Gen.Elements(6, 12, 3)
        from note in Gen.Elements(true, true, false)
        select new Move(step, days, cents, month, note);

    [Fact]
    public void Any_sequence_of_steps_keeps_the_order_of_rule_18_and_exact_amounts()
    {
        var property = Prop.ForAll(Arb.From(Gen.ListOf(s_move).Select(m => m.Take(30).ToArray())), moves =>
        {
            var now = s_start;
            var referral = new ReferralView("ri-p", "rt-p", "AT", "ng-p", "NG", ReferralStatus.Referred, now, null, null, null,
                [new ReferralEvent("Refer", DateOnly.FromDateTime(now.UtcDateTime), now, "clerk")], [], [], null, false);
            var accepted = 0m;
            foreach (var move in moves)
            {
                now = now.AddDays(move.DaysLater);
                var current = referral with { FollowUps = ReferralSteps.Clock(referral.FollowUps, now) };
                var input = new ReferralStepInput(move.Step, DateOnly.FromDateTime(now.UtcDateTime), move.WithNote ? "note" : null,
                    AssistanceKind.Cash, move.Cents / 100m, move.Month);
                try
                {
                    referral = ReferralSteps.Apply(current, input, "worker", now);
                }
                catch (DomainRuleException ex) when (ex.Rule is RuleCode.InvalidTransition or RuleCode.Validation)
                {
                    continue;
                }
                if (move.Step == ReferralStep.Assistance)
                {
                    accepted += move.Cents / 100m;
                }
                Check(referral, accepted);
            }
        });
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);
    }

    private static void Check(ReferralView r, decimal accepted)
    {
        // The first time each step appears follows the order of the rule; nothing comes after a closing step.
        var firsts = s_order.Select(s => r.Steps.ToList().FindIndex(e => e.Step == s)).TakeWhile(i => i >= 0).ToList();
        Assert.Equal(firsts.Order(), firsts);
        Assert.All(s_order.Skip(firsts.Count), s => Assert.DoesNotContain(r.Steps, e => e.Step == s));
        Assert.DoesNotContain(r.Steps.SkipWhile(e => e.Step != "Decline").Skip(1), _ => true);
        Assert.Equal(r.Steps.Any(e => e.Step == "Reception"), r.ArrivedOn is not null);
        Assert.Equal(accepted, r.Assistance.Sum(a => a.AmountEur));
        Assert.All(r.Assistance, a => Assert.True(a.AmountEur > 0 && decimal.Round(a.AmountEur, 2) == a.AmountEur));
        Assert.Equal(r.Status == ReferralStatus.Completed, r.FollowUps.Any(f => f.Month == 12 && f.State == FollowUpState.Reached));
        Assert.All(r.FollowUps.Where(f => f.State == FollowUpState.Reached), f => Assert.True(f.ReachedOn >= f.DueOn));
    }
}
