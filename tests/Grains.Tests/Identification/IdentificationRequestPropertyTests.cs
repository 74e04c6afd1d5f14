using FsCheck;
using FsCheck.Fluent;
using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Identification;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Identification;

/// <summary>
/// Random sequences of answers (right or wrong destination, in or out of turn), re-issues, days passing and the case's
/// erasure, run against the real grain: each answer is taken exactly when the model (<see cref="IdentificationModel"/>) says
/// so and leads where it says, an answered request stays answered, runs reach an issued document, and once the case is
/// erased nothing about the person is held or recorded again (rule 15).
/// </summary>
public sealed class IdentificationRequestPropertyTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    private static readonly IdentificationClock s_terms = new(14, 7, 6, 14, AcceptsEuTravelDocument: true, ThroughEmbassy: false);

    private int _runs;
    private int _issued;

    public sealed record Step(string Kind, bool OtherPartner, int Months, int Days)
    {
        public override string ToString() => $"{Kind}({(OtherPartner ? "RS" : "AL")}, {Months} months, +{Days} days)";
    }

    private static readonly Gen<Step> s_step =
        from kind in Gen.Elements("confirm", "confirm", "refuse", "issue", "issue", "issue", "reissue", "wait", "erase")
        from other in Gen.Elements(false, false, false, false, true)
        from months in Gen.Elements(3, 6, 12, 12)
        from days in Gen.Elements(0, 1, 8, 15)
        select new Step(kind, other, months, days);

    [Fact]
    public async Task Any_sequence_is_answered_as_rule_17_says_keeps_answers_final_and_nothing_personal_after_erasure()
    {
        await StartAsync();
        await Grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key)
            .Put(new ReadmissionClock("AL", 14, 0, true, 90, Identification: s_terms));
        // 6 to 16 steps from the first run on, so that most runs get past an answer (and many past the erasure).
        var sequences = Arb.From(from length in Gen.Choose(6, 16) from steps in Gen.ArrayOf(s_step, length) select steps,
            steps => Enumerable.Range(0, steps.Length).Select(i => steps.Where((_, j) => j != i).ToArray()));
        var property = Prop.ForAll(sequences, steps => Task.Run(() => RunAsync(steps)).GetAwaiter().GetResult());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), property);

        // A feature that refused every confirmation or every document would leave this at zero.
        Assert.True(_issued > 0, "no run reached DocumentIssued");
    }

    private async Task RunAsync(Step[] steps)
    {
        var run = Interlocked.Increment(ref _runs);
        var returnee = await Returnee("AT", c => c with { TravelDocumentValidUntil = null });
        var request = Grains.GetGrain<IIdentificationRequestGrain>($"ir-prop-{run}");
        var before = await request.Submit(new IdentificationSubmission(returnee, "AT", "AL"));
        var erased = false;
        var model = new IdentificationModel(s_terms.MinimumValidityMonths);
        foreach (var (step, index) in steps.Select((s, i) => (s, i)))
        {
            var partner = Caller.PartnerOf(step.OtherPartner ? "RS" : "AL");
            var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
            var answer = step.Kind is not ("wait" or "erase");
            var expected = answer && model.Accepts(step.Kind, !step.OtherPartner, step.Months);
            var taken = true;
            try
            {
                switch (step.Kind)
                {
                    case "confirm":
                        await request.Confirm(partner);
                        break;
                    case "refuse":
                        await request.Refuse(partner, IdentificationRefusal.NotANational, "Not on the civil register");
                        break;
                    case "issue":
                        await request.IssueDocument(partner, TravelDocumentKind.EmergencyTravelDocument, $"ETD-{run}-{index}", today, today.AddMonths(step.Months));
                        break;
                    case "reissue":
                        await request.RequestReissue(Caller.CoordinatorOf("AT"));
                        break;
                    case "wait":
                        await AdvanceAsync(TimeSpan.FromDays(step.Days));
                        break;
                    case "erase":
                        await Grains.EraseReturneeAsync(returnee);
                        erased = true;
                        break;
                }
            }
            catch (DomainRuleException ex) when (ex.Rule is RuleCode.InvalidTransition or RuleCode.Identification or RuleCode.Validation)
            {
                taken = false;
            }
            catch (ResourceNotFoundException) when (step.OtherPartner)
            {
                taken = false;
            }
            if (answer)
            {
                Assert.True(expected == taken, $"{step} in {before.Status}: the model {(expected ? "takes" : "refuses")} it, the grain {(taken ? "took" : "refused")} it");
            }
            if (taken)
            {
                model.Record(step.Kind);
            }
            var after = (await request.Get())!;
            Assert.Equal(model.Status, after.Status);
            if (after.Status == IdentificationStatus.DocumentIssued && before.Status != after.Status)
            {
                Interlocked.Increment(ref _issued);
            }
            AssertInvariants(before, after, step, erased);
            before = after;
        }
    }

    private static void AssertInvariants(IdentificationRequestView before, IdentificationRequestView after, Step step, bool erased)
    {
        // An answer is final: a refusal and a withdrawal never change again; an issued document leaves only for a re-issue.
        if (before.Status is IdentificationStatus.Refused or IdentificationStatus.Withdrawn)
        {
            Assert.Equal(before.Status, after.Status);
            Assert.Equal(before.RefusalReason, after.RefusalReason);
        }
        if (before.Status == IdentificationStatus.DocumentIssued && after.Status != before.Status)
        {
            Assert.Equal(("reissue", IdentificationStatus.AwaitingDocument, before.Reissues + 1), (step.Kind, after.Status, after.Reissues));
        }
        // Only the destination answers: a step by another country's partner changes nothing.
        if (step.OtherPartner && step.Kind is "confirm" or "refuse" or "issue")
        {
            Assert.Equal(before, after);
        }
        Assert.True(after.Reissues >= before.Reissues);
        Assert.Equal(after.Status == IdentificationStatus.Refused, after.RefusalReason is not null);
        Assert.True(!after.Overdue || after.Status is IdentificationStatus.AwaitingIdentity or IdentificationStatus.AwaitingDocument, after.ToString());
        if (erased)
        {
            Assert.Null(after.Document);
            Assert.Null(after.RefusalText);
            Assert.NotEqual(IdentificationStatus.AwaitingIdentity, after.Status);
            Assert.NotEqual(IdentificationStatus.AwaitingDocument, after.Status);
        }
        else
        {
            Assert.Equal(after.Status == IdentificationStatus.DocumentIssued || after.Reissues > 0 && after.Status == IdentificationStatus.AwaitingDocument,
                after.Document is not null);
            Assert.Equal(after.Status == IdentificationStatus.Refused, after.RefusalText is not null);
        }
    }
}
