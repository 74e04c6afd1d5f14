using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.ReadModels;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;
using ReturnOps.Grains.Hosting;

namespace ReturnOps.Grains.Readmission;

[GrainType("readmission-request")]
public sealed class ReadmissionRequestGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<ReadmissionRequestState> state, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    : DomainGrain, IReadmissionRequestGrain, IRemindable
{
    private const string ReplyDue = "reply-due";

    public async Task<ReadmissionRequestView> Submit(ReadmissionSubmission submission)
    {
        if (state.State.Request is { } existing)
        {
            return existing.ReturneeId == submission.ReturneeId && existing.Destination == submission.Destination
                ? existing
                : throw new DomainRuleException(RuleCode.Validation, "This request id is already used.");
        }
        var agreement = await GrainFactory.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key).Get(submission.Destination)
            ?? throw new DomainRuleException(RuleCode.Readmission, $"There is no readmission agreement with {submission.Destination}.");
        var returnee = GrainFactory.GetGrain<IReturneeGrain>(submission.ReturneeId);
        if (await returnee.Get() is not { Case: not null } view || view.Owner != submission.Owner)
        {
            throw new ResourceNotFoundException($"Returnee {submission.ReturneeId} not found.");
        }
        var now = clock.GetUtcNow();
        var sentAt = submission.SentAt ?? now;
        if (sentAt > now)
        {
            throw new DomainRuleException(RuleCode.Validation, "A request cannot have been sent in the future.");
        }
        var due = sentAt.AddDays(agreement.ReplyDays);
        state.State.Clock = agreement;
        state.State.Request = new ReadmissionRequestView(GetPrimaryKeyString(), submission.ReturneeId, submission.Owner, submission.Destination,
            ReadmissionStatus.Pending, sentAt, due, false, false, null, null);
        await returnee.RecordReadmission(submission.Destination, nameof(ReadmissionStatus.Pending));
        // A request entered after its deadline is due at once: the reminder decides it on its first tick.
        await RemindIn(ReplyDue, due - now);
        return await Save("readmission.requested", Destination.Country(submission.Destination));
    }

    public async Task<ReadmissionRequestView> Reply(Caller caller, bool accepted, string? reason)
    {
        var request = Pending(caller);
        if (!accepted && string.IsNullOrWhiteSpace(reason))
        {
            // The owning state must know why, to supply evidence or to ask another country.
            throw new DomainRuleException(RuleCode.Validation, "A refusal needs a reason.");
        }
        return await Decide(request, accepted ? ReadmissionStatus.Accepted : ReadmissionStatus.Refused, bySilence: false, reason);
    }

    public async Task<ReadmissionRequestView> RequestExtension(Caller caller)
    {
        var request = Pending(caller);
        var days = state.State.Clock!.ExtensionDays;
        if (request.Extended || days == 0)
        {
            throw new DomainRuleException(RuleCode.Readmission, "The agreement grants no (further) extension.");
        }
        var due = request.ReplyDueBy.AddDays(days);
        state.State.Request = request with { Extended = true, ReplyDueBy = due };
        await RemindIn(ReplyDue, due - clock.GetUtcNow());
        return await Save("readmission.extended", Destination.Country(request.Owner));
    }

    public Task<ReadmissionRequestView?> Get() => Task.FromResult(state.State.Request);

    /// <summary>The reply deadline passed: silence is acceptance where the agreement says so (rule 12).</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReplyDue || state.State.Request is not { Status: ReadmissionStatus.Pending } request
            || clock.GetUtcNow() < request.ReplyDueBy)
        {
            return;
        }
        var silence = state.State.Clock!.SilenceMeansAcceptance;
        await Decide(request, silence ? ReadmissionStatus.Accepted : ReadmissionStatus.Lapsed, bySilence: silence, reason: null);
    }

    private ReadmissionRequestView Pending(Caller caller)
    {
        if (state.State.Request is not { } request || !caller.IsPartnerOf(request.Destination))
        {
            throw new ResourceNotFoundException($"Readmission request {GetPrimaryKeyString()} not found.");
        }
        return request.Status == ReadmissionStatus.Pending
            ? request
            : throw new DomainRuleException(RuleCode.InvalidTransition, $"The request is already {request.Status}.");
    }

    private async Task<ReadmissionRequestView> Decide(ReadmissionRequestView request, ReadmissionStatus status, bool bySilence, string? reason)
    {
        var transferBy = status == ReadmissionStatus.Accepted ? clock.GetUtcNow().AddDays(state.State.Clock!.TransferDays) : (DateTimeOffset?)null;
        state.State.Request = request with { Status = status, AcceptedBySilence = bySilence, Reason = reason, TransferBy = transferBy };
        await GrainFactory.GetGrain<IReturneeGrain>(request.ReturneeId).RecordReadmission(request.Destination, status.ToString());
        await ForgetReminder(ReplyDue);
        return await Save("readmission." + status.ToString().ToLowerInvariant(), Destination.Country(request.Owner));
    }

    private async Task<ReadmissionRequestView> Save(string subject, string notify)
    {
        var request = state.State.Request!;
        var now = clock.GetUtcNow();
        EnqueueMessage(Outbox.Message(notify, request.Id, subject, new Notification(subject, Country: request.Destination, Status: request.Status.ToString()), now));
        WriteReadModel(ReadModelSchema.ReadmissionRow(request));
        await state.WriteStateAsync();
        return request;
    }
}
