using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Tests.Reintegration;

/// <summary>
/// Random sequences of provider steps, days passing and follow-up clock readings applied to a referral, half of them along
/// rule 18's own path: each step is accepted exactly when the model (<see cref="ReferralModel"/>) says so, whatever is
/// accepted keeps the rule's order, the amounts delivered add up exactly to those accepted, and runs reach Completed.
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

    /// <summary>Rule 18's path with a few random moves before each step; six calendar months are at most 184 days.</summary>
    private static readonly Gen<Move[]> s_path =
        from days in Gen.ArrayOf(Gen.Choose(0, 20), 4)
        from cents in Gen.Choose(1, 5_000_000)
        let path = new Move[]
        {
            new(ReferralStep.Accept, days[0], 0, 6, false), new(ReferralStep.Reception, days[1], 0, 6, false),
            new(ReferralStep.Plan, days[2], 0, 6, true), new(ReferralStep.Assistance, days[3], cents, 6, false),
            new(ReferralStep.FollowUp, 184, 0, 6, false), new(ReferralStep.FollowUp, 184, 0, 12, false),
        }
        from noise in Gen.ArrayOf(from n in Gen.Choose(0, 2) from moves in Gen.ArrayOf(s_move, n) select moves, path.Length)
        select path.Zip(noise, (step, before) => before.Append(step)).SelectMany(m => m).ToArray();

    private static readonly Gen<Move[]> s_moves = Gen.OneOf(Gen.ListOf(s_move).Select(m => m.Take(30).ToArray()), s_path);

    [Fact]
    public void Any_sequence_of_steps_is_decided_as_rule_18_says_keeps_its_order_and_exact_amounts_and_completes()
    {
        var completed = 0;
        var property = Prop.ForAll(Arb.From(s_moves), moves =>
        {
            var now = s_start;
            var referral = new ReferralView("ri-p", "rt-p", "AT", "ng-p", "NG", ReferralStatus.Referred, now, null, null, null,
                [new ReferralEvent("Refer", DateOnly.FromDateTime(now.UtcDateTime), now, "clerk")], [], [], null, false);
            var model = new ReferralModel();
            var accepted = 0m;
            foreach (var move in moves)
            {
                now = now.AddDays(move.DaysLater);
                var today = DateOnly.FromDateTime(now.UtcDateTime);
                var current = referral with { FollowUps = ReferralSteps.Clock(referral.FollowUps, now) };
                var input = new ReferralStepInput(move.Step, today, move.WithNote ? "note" : null, AssistanceKind.Cash, move.Cents / 100m, move.Month);
                var expected = model.Accepts(move.Step, today, move.WithNote, move.Cents, move.Month);
                try
                {
                    referral = ReferralSteps.Apply(current, input, "worker", now);
                }
                catch (DomainRuleException ex) when (ex.Rule is RuleCode.InvalidTransition or RuleCode.Validation)
                {
                    Assert.False(expected, $"{move} on {today} was refused in {referral.Status}: {ex.Message}");
                    continue;
                }
                Assert.True(expected, $"{move} on {today} was accepted in {current.Status}");
                model.Record(move.Step, today, move.Month);
                if (move.Step == ReferralStep.Assistance)
                {
                    accepted += move.Cents / 100m;
                }
                Assert.Equal(model.Status, referral.Status);
                Check(referral, accepted);
            }
            completed += model.Status == ReferralStatus.Completed ? 1 : 0;
        });
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);

        // Half the runs walk the rule's path: a feature that refused a step on it would leave this at zero.
        Assert.True(completed > 0, "no run reached Completed");
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
