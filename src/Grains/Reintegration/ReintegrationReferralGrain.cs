using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Reintegration;

[GrainType("reintegration-referral")]
public sealed class ReintegrationReferralGrain(
    [PersistentState("state", GrainsModule.StorageName)] IPersistentState<ReintegrationReferralState> state,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    : DomainGrain, IReintegrationReferralGrain, IRemindable
{
    private const string FollowUpReminder = "follow-up-";

    public async Task<ReferralView> Open(ReferralOpening opening)
    {
        if (state.State.Referral is { } existing)
        {
            return existing.ReturneeId == opening.ReturneeId && existing.ProviderId == opening.Provider.Id
                ? existing
                : throw new DomainRuleException(RuleCode.Validation, "This referral id is already used.");
        }
        var now = clock.GetUtcNow();
        var referral = new ReferralView(GetPrimaryKeyString(), opening.ReturneeId, opening.Owner, opening.Provider.Id, opening.Provider.Country,
            ReferralStatus.Referred, now, null, null, null, [new ReferralEvent("Refer", DateOnly.FromDateTime(now.UtcDateTime), now, opening.ReferredBy)],
            [], [], null, false);
        return await Save(referral, "reintegration.referred", ToProvider(referral));
    }

    public async Task<ReferralView> Record(Caller caller, ReferralStepInput step)
    {
        if (state.State.Referral is not { } referral || caller.Role != Caller.ProviderRole || caller.Provider != referral.ProviderId)
        {
            throw new ResourceNotFoundException($"Referral {GetPrimaryKeyString()} not found.");
        }
        var now = clock.GetUtcNow();
        // The follow-ups' clock first, so a follow-up whose day came is recordable even before its reminder ticked.
        var current = referral with { FollowUps = ReferralSteps.Clock(referral.FollowUps, now) };
        var next = ReferralSteps.Apply(current, step, caller.Subject, now);
        if (step.Step == ReferralStep.Reception)
        {
            foreach (var followUp in next.FollowUps)
            {
                await RemindIn(FollowUpReminder + followUp.Month, ToTime(followUp.DueOn) - now);
            }
        }
        if (next.IsClosed)
        {
            await ForgetFollowUps();
        }
        else if (step.Step == ReferralStep.FollowUp)
        {
            await ForgetReminder(FollowUpReminder + step.Month);
        }
        return await Save(next, "reintegration." + step.Step.ToString().ToLowerInvariant(), ToOwner(next));
    }

    public async Task<ReferralView?> Stop(DateOnly on)
    {
        if (state.State.Referral is not { } referral || referral.IsClosed)
        {
            return state.State.Referral;
        }
        await ForgetFollowUps();
        var stopped = referral with { Status = ReferralStatus.Stopped, StoppedOn = on };
        // The provider learns that it must stop; the owning state recorded the withdrawal itself.
        return await Save(stopped, "reintegration.stopped", ToProvider(stopped));
    }

    public async Task Erase()
    {
        if (state.State.Referral is not { Erased: false } referral)
        {
            return;
        }
        await Save(referral with { Erased = true, PlanSummary = null, DeclineReason = null }, null, []);
    }

    public Task<ReferralView?> Get() => Task.FromResult(state.State.Referral is { } r
        ? r with { FollowUps = ReferralSteps.Clock(r.FollowUps, clock.GetUtcNow()) }
        : null);

    /// <summary>A follow-up's day came, or its grace ran out: mark it and tell the provider and the owning state.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!reminderName.StartsWith(FollowUpReminder, StringComparison.Ordinal) || state.State.Referral is not { IsClosed: false } referral)
        {
            await ForgetReminder(reminderName);
            return;
        }
        var now = clock.GetUtcNow();
        var month = int.Parse(reminderName[FollowUpReminder.Length..], System.Globalization.CultureInfo.InvariantCulture);
        var before = referral.FollowUps.FirstOrDefault(f => f.Month == month);
        var after = ReferralSteps.Clock(referral.FollowUps, now).FirstOrDefault(f => f.Month == month);
        if (before is null || after is null)
        {
            // A reminder left by a reception whose write failed: nothing is scheduled.
            await ForgetReminder(reminderName);
            return;
        }
        if (after.State == before.State)
        {
            return;
        }
        if (after.State == FollowUpState.Overdue)
        {
            // Overdue is the last thing the clock can say; the reminder has done its work.
            await ForgetReminder(reminderName);
        }
        else
        {
            await RemindIn(reminderName, ToTime(after.DueOn.AddDays((int)ReferralSteps.FollowUpGrace.TotalDays)) - now);
        }
        var marked = referral with { FollowUps = [.. referral.FollowUps.Select(f => f.Month == month ? after : f)] };
        var subject = "reintegration.follow-up-" + after.State.ToString().ToLowerInvariant();
        await Save(marked, subject, [.. ToProvider(marked), .. ToOwner(marked)]);
    }

    private async Task ForgetFollowUps()
    {
        foreach (var month in ReferralSteps.FollowUpMonths)
        {
            await ForgetReminder(FollowUpReminder + month);
        }
    }

    private static DateTimeOffset ToTime(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string[] ToProvider(ReferralView r) => [Destination.Provider(r.ProviderId)];

    private static string[] ToOwner(ReferralView r) => [Destination.Country(r.Owner)];

    /// <summary>Stores the referral with its read-model row and, for a change worth telling, one notice per address (ids and status only).</summary>
    private async Task<ReferralView> Save(ReferralView referral, string? subject, IReadOnlyList<string> notify)
    {
        var now = clock.GetUtcNow();
        foreach (var address in notify)
        {
            EnqueueMessage(Outbox.Message(address, referral.Id, subject!,
                new Notification(subject!, Country: referral.Destination, Status: referral.Status.ToString(), ReferralId: referral.Id), now));
        }
        WriteReadModel(ReintegrationSchema.ReferralRow(referral, now));
        state.State.Referral = referral;
        await state.WriteStateAsync();
        return referral;
    }
}
