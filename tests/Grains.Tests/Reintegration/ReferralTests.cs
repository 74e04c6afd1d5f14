using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Reintegration;

/// <summary>Rule 18: consent, a provider of the country of return, the steps in order with their dates, exact amounts.</summary>
public sealed class ReferralTests(SharedPostgres postgres) : ReferralTestBase(postgres)
{
    [Fact]
    public async Task Referral_needs_recorded_consent_and_a_provider_of_the_country_of_return()
    {
        await StartAsync();
        await ProvidersAsync();
        var returnee = Grains.GetGrain<ReturnOps.Grains.Returnees.IReturneeGrain>(await Returnee("AT"));

        Assert.Equal(RuleCode.ReintegrationConsent, await RuleOf(() => returnee.Refer("AT", "ri-1", Lagos, "clerk")));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => returnee.RecordConsent("DE", new ReintegrationConsent(Today, Scope)));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => returnee.RecordConsent("AT", new ReintegrationConsent(Today.AddDays(1), Scope))));
        await returnee.RecordConsent("AT", new ReintegrationConsent(Today, Scope));
        Assert.Equal(RuleCode.ReintegrationProvider, await RuleOf(() => returnee.Refer("AT", "ri-1", Belgrade, "clerk")));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => returnee.Refer("AT", "ri-1", "no-such-provider", "clerk")));

        var referral = await returnee.Refer("AT", "ri-1", Lagos, "clerk");
        Assert.Equal((ReferralStatus.Referred, "NG", "AT"), (referral.Status, referral.Destination, referral.Owner));
        // Repeating the referral (a retried request) changes nothing.
        Assert.Equal(referral.ReferredAt, (await returnee.Refer("AT", "ri-1", Lagos, "clerk")).ReferredAt);
        Assert.Equal(["ri-1"], (await returnee.Reintegration())!.Referrals);
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => returnee.Refer("AT", "ri-2", Lagos, "clerk")));
        Assert.Equal(1, await Outbox("reintegration.referred", Destination.Provider(Lagos)));

        // Serbia accepted the readmission (rule 21): a Serbian provider may take the case once the first referral closed.
        await returnee.RecordReadmission("RS", "Accepted");
        await Grains.GetGrain<IReintegrationReferralGrain>("ri-1").Record(Provider(), new ReferralStepInput(ReferralStep.Decline, Today, "No place"));
        Assert.Equal("RS", (await returnee.Refer("AT", "ri-2", Belgrade, "clerk")).Destination);
        Assert.Equal(["ri-1", "ri-2"], (await returnee.Reintegration())!.Referrals);
    }

    [Fact]
    public async Task Steps_follow_rule_18_in_order_with_dates_who_recorded_them_and_exact_amounts()
    {
        await StartAsync();
        await ProvidersAsync();
        var returnee = await ConsentingAsync();
        await returnee.Refer("AT", "ri-1", Lagos, "clerk-at");
        var referral = Grains.GetGrain<IReintegrationReferralGrain>("ri-1");

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => referral.Record(Provider(Belgrade), new ReferralStepInput(ReferralStep.Accept, Today)));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => referral.Record(Caller.PartnerOf("NG"), new ReferralStepInput(ReferralStep.Accept, Today)));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => referral.Record(Provider(), new ReferralStepInput(ReferralStep.Plan, Today, "plan"))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => referral.Record(Provider(), new ReferralStepInput(ReferralStep.Accept, Today.AddDays(1)))));
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Accept, Today));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => referral.Record(Provider(), new ReferralStepInput(ReferralStep.Accept, Today))));
        await AdvanceAsync(TimeSpan.FromDays(3));
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Reception, Today));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => referral.Record(Provider(),
            new ReferralStepInput(ReferralStep.Assistance, Today, Kind: AssistanceKind.Cash, AmountEur: 100m))));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => referral.Record(Provider(), new ReferralStepInput(ReferralStep.Plan, Today))));
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Plan, Today, "Small shop; vocational training"));
        Assert.Equal(RuleCode.Validation, await RuleOf(() => referral.Record(Provider(),
            new ReferralStepInput(ReferralStep.Assistance, Today, Kind: AssistanceKind.Cash, AmountEur: 10.005m))));
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Assistance, Today, Kind: AssistanceKind.Cash, AmountEur: 250.50m));
        var view = await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Assistance, Today, Kind: AssistanceKind.InKind, AmountEur: 1000.25m));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => referral.Record(Provider(), new ReferralStepInput(ReferralStep.FollowUp, Today, Month: 6))));

        Assert.Equal(ReferralStatus.AssistanceDelivered, view.Status);
        Assert.Equal(["Refer", "Accept", "Reception", "Plan", "Assistance", "Assistance"], view.Steps.Select(s => s.Step));
        Assert.Equal(["clerk-at", "case-worker"], view.Steps.Select(s => s.RecordedBy).Distinct());
        Assert.Equal(Today, view.ArrivedOn);
        Assert.Equal([Today.AddMonths(6), Today.AddMonths(12)], view.FollowUps.Select(f => f.DueOn));
        Assert.Equal(1250.75m, view.Assistance.Sum(a => a.AmountEur));
        Assert.Equal(125075, await Storage.ScalarAsync("SELECT assistance_cents FROM reintegration_referrals WHERE id = 'ri-1'"));
        Assert.Equal(25050, await Storage.ScalarAsync("SELECT cash_cents FROM reintegration_referrals WHERE id = 'ri-1'"));
        Assert.Equal(1, await Outbox("reintegration.plan", Destination.Country("AT")));
    }

    [Fact]
    public async Task Follow_ups_fall_due_at_6_and_12_months_after_arrival_and_overdue_after_30_days()
    {
        await StartAsync();
        var (_, referral) = await ReceivedAsync();
        var arrived = Today;

        await AdvanceAsync(arrived.AddMonths(6).AddDays(-1).ToDateTime(TimeOnly.MinValue) - arrived.ToDateTime(TimeOnly.MinValue));
        Assert.Equal(FollowUpState.Scheduled, (await referral.Get())!.FollowUps[0].State);
        Assert.Equal(0, await Outbox("reintegration.follow-up-due", Destination.Provider(Lagos)));
        await AdvanceAsync(TimeSpan.FromDays(1));

        Assert.Equal(FollowUpState.Due, (await referral.Get())!.FollowUps[0].State);
        Assert.Equal(1, await Outbox("reintegration.follow-up-due", Destination.Provider(Lagos)));
        Assert.Equal(1, await Outbox("reintegration.follow-up-due", Destination.Country("AT")));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT count(*) FROM reintegration_referrals WHERE id = 'ri-1' AND follow_up_6 = 'Due'"));
        await AdvanceAsync(TimeSpan.FromDays(30));

        Assert.Equal(FollowUpState.Overdue, (await referral.Get())!.FollowUps[0].State);
        Assert.Equal(1, await Outbox("reintegration.follow-up-overdue", Destination.Country("AT")));
        var reached = await referral.Record(Provider(), new ReferralStepInput(ReferralStep.FollowUp, Today, Month: 6));
        Assert.Equal((FollowUpState.Reached, Today), (reached.FollowUps[0].State, reached.FollowUps[0].ReachedOn));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => referral.Record(Provider(), new ReferralStepInput(ReferralStep.FollowUp, Today, Month: 6))));

        await AdvanceAsync(arrived.AddMonths(12).ToDateTime(TimeOnly.MinValue) - Today.ToDateTime(TimeOnly.MinValue));
        Assert.Equal(2, await Outbox("reintegration.follow-up-due", Destination.Provider(Lagos)));
        Assert.Equal(FollowUpState.Due, (await referral.Get())!.FollowUps[1].State);
        var done = await referral.Record(Provider(), new ReferralStepInput(ReferralStep.FollowUp, Today, Month: 12));
        Assert.Equal(ReferralStatus.Completed, done.Status);
        Assert.Equal(1, await Storage.ScalarAsync("SELECT count(*) FROM reintegration_referrals WHERE id = 'ri-1' AND follow_up_12 = 'Reached'"));
    }

    [Fact]
    public async Task Follow_up_reminders_fire_at_the_start_of_their_day_and_of_the_grace_end_not_a_tick_before()
    {
        await StartAsync();
        var (_, referral) = await ReceivedAsync();
        var sixMonths = Midnight(Today.AddMonths(6));
        var twelveMonths = Midnight(Today.AddMonths(12));

        Assert.Equal(0, await FireAtAsync(sixMonths - OneTick));
        Assert.Equal(0, await Outbox("reintegration.follow-up-due", Destination.Provider(Lagos)));
        Assert.Equal(1, await FireAtAsync(sixMonths));
        Assert.Equal(1, await Outbox("reintegration.follow-up-due", Destination.Provider(Lagos)));

        var graceEnd = sixMonths + ReferralSteps.FollowUpGrace;
        Assert.Equal(0, await FireAtAsync(graceEnd - OneTick));
        Assert.Equal(0, await Outbox("reintegration.follow-up-overdue", Destination.Country("AT")));
        Assert.Equal(1, await FireAtAsync(graceEnd));
        Assert.Equal(1, await Outbox("reintegration.follow-up-overdue", Destination.Country("AT")));

        Assert.Equal(0, await FireAtAsync(twelveMonths - OneTick));
        Assert.Equal(1, await FireAtAsync(twelveMonths));
        Assert.Equal(2, await Outbox("reintegration.follow-up-due", Destination.Provider(Lagos)));
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Withdrawing_consent_stops_the_referral_at_once_and_keeps_its_counts(string provider)
    {
        await StartAsync(provider);
        var (returnee, referral) = await ReceivedAsync();
        Assert.NotNull(await returnee.SharedWith("ri-1"));
        Assert.Null(await returnee.SharedWith("ri-other"));

        await returnee.WithdrawConsent("AT", Today);

        Assert.Null(await returnee.SharedWith("ri-1"));
        Assert.Equal(ReferralStatus.Stopped, (await referral.Get())!.Status);
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => referral.Record(Provider(), new ReferralStepInput(ReferralStep.Plan, Today, "plan"))));
        Assert.Equal(RuleCode.InvalidTransition, await RuleOf(() => returnee.WithdrawConsent("AT", Today)));
        Assert.Equal(RuleCode.ReintegrationConsent, await RuleOf(() => returnee.Refer("AT", "ri-2", Lagos, "clerk")));
        Assert.Equal(1, await Outbox("reintegration.stopped", Destination.Provider(Lagos)));
        Assert.Equal(1, await Storage.ScalarAsync("SELECT accepted FROM reintegration_referrals WHERE id = 'ri-1' AND stopped = 1"));
        // The follow-up reminders went with it: no notice falls due for a stopped referral.
        await AdvanceAsync(TimeSpan.FromDays(400));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM outbox WHERE type LIKE 'reintegration.follow-up%'"));
    }

    [Fact]
    public async Task Erasing_the_case_erases_the_referral_text_and_keeps_its_counts()
    {
        await StartAsync();
        var (returnee, referral) = await ReceivedAsync();
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Plan, Today, "Plan-text-to-erase"));
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Assistance, Today, Kind: AssistanceKind.Cash, AmountEur: 500m));

        Assert.True(await returnee.Erase(null));

        var erased = (await referral.Get())!;
        Assert.True(erased.Erased);
        Assert.Null(erased.PlanSummary);
        Assert.Null((await returnee.Reintegration())!.Consent);
        Assert.Null(await returnee.SharedWith("ri-1"));
        Assert.Equal(0, await Storage.ScalarAsync("SELECT count(*) FROM grain_state WHERE payload LIKE '%Plan-text-to-erase%'"));
        Assert.Equal(50000, await Storage.ScalarAsync("SELECT assistance_cents FROM reintegration_referrals WHERE id = 'ri-1' AND accepted = 1"));
        // Outcomes still count after erasure, without text.
        await AdvanceAsync(Today.AddMonths(6).ToDateTime(TimeOnly.MinValue) - Today.ToDateTime(TimeOnly.MinValue));
        var followedUp = await referral.Record(Provider(), new ReferralStepInput(ReferralStep.FollowUp, Today, "ignored", Month: 6));
        Assert.Equal(FollowUpState.Reached, followedUp.FollowUps[0].State);
    }

    [Fact]
    public async Task A_referral_racing_a_withdrawal_never_shares_after_the_withdrawal_answered()
    {
        await StartAsync();
        await ProvidersAsync();
        var returnees = new List<ReturnOps.Grains.Returnees.IReturneeGrain>();
        for (var i = 0; i < 20; i++)
        {
            returnees.Add(await ConsentingAsync());
        }

        // Both go to the case at once; the case's single activation takes them one after the other, in either order.
        var outcomes = await Task.WhenAll(returnees.Select(async (returnee, i) =>
        {
            var refer = Task.Run(() => returnee.Refer("AT", $"ri-race-{i}", Lagos, "clerk"));
            var withdraw = Task.Run(() => returnee.WithdrawConsent("AT", Today));
            await withdraw;
            try
            {
                await refer;
                return true;
            }
            catch (DomainRuleException ex) when (ex.Rule == RuleCode.ReintegrationConsent)
            {
                return false;
            }
        }));

        for (var i = 0; i < returnees.Count; i++)
        {
            Assert.Null(await returnees[i].SharedWith($"ri-race-{i}"));
            var referral = await Grains.GetGrain<IReintegrationReferralGrain>($"ri-race-{i}").Get();
            Assert.Equal(outcomes[i], referral is not null);
            Assert.True(referral is null || referral.Status == ReferralStatus.Stopped, $"referral {i} is {referral?.Status}");
        }
    }
}
