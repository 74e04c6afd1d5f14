using System.Text.RegularExpressions;
using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Messaging;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Identification;

[GrainType("identification-request")]
public sealed partial class IdentificationRequestGrain(
    [PersistentState("state", GrainsModule.StorageName)] IPersistentState<IdentificationRequestState> state,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    : DomainGrain, IIdentificationRequestGrain, IRemindable
{
    /// <summary>The route of <c>grain:identification-request/{id}</c>: the case's erasure (<c>returnee.erased</c>).</summary>
    public const string Route = "identification-request";

    private const string StepDue = "step-due";
    public const int MaxNumberLength = 40;
    public const int MaxTextLength = 1000;

    public async Task<IdentificationRequestView> Submit(IdentificationSubmission submission)
    {
        if (state.State.Request is { } existing)
        {
            return existing.ReturneeId == submission.ReturneeId && existing.Destination == submission.Destination
                ? existing
                : throw new DomainRuleException(RuleCode.Validation, "This request id is already used.");
        }
        var partner = await GrainFactory.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key).Get(submission.Destination)
            ?? throw new DomainRuleException(RuleCode.Identification, $"There is no agreement or arrangement with {submission.Destination}.");
        var terms = partner.IdentificationTerms;
        // Whether the document on file is lost, withheld or about to expire is the owning state's call: any of its cases may be sent.
        if (await GrainFactory.GetGrain<IReturneeGrain>(submission.ReturneeId).Get() is not { Case: not null } view || view.Owner != submission.Owner)
        {
            throw new ResourceNotFoundException($"Returnee {submission.ReturneeId} not found.");
        }
        // Registered on the case first, so that an erasure of the case always reaches the request (a retry registers it again, harmlessly).
        await GrainFactory.GetGrain<IReturneeGrain>(submission.ReturneeId).RecordIdentificationRequest(GetPrimaryKeyString());
        var now = clock.GetUtcNow();
        var due = now.AddDays(terms.ReplyDays);
        state.State.Clock = terms;
        state.State.Request = new IdentificationRequestView(GetPrimaryKeyString(), submission.ReturneeId, submission.Owner, submission.Destination,
            IdentificationStatus.AwaitingIdentity, now, due, false, terms.ThroughEmbassy, null, null, null, 0);
        await RemindIn(StepDue, due - now);
        return await Save("identification.requested", submission.Destination);
    }

    public async Task<IdentificationRequestView> Confirm(Caller caller)
    {
        var request = AddressedTo(caller, IdentificationStatus.AwaitingIdentity);
        var now = clock.GetUtcNow();
        var due = now.AddDays(state.State.Clock!.IssueDays);
        state.State.Request = request with { Status = IdentificationStatus.AwaitingDocument, DueBy = due, Overdue = false };
        await RemindIn(StepDue, due - now);
        return await Save("identification.confirmed", request.Owner);
    }

    public async Task<IdentificationRequestView> Refuse(Caller caller, IdentificationRefusal reason, string text)
    {
        var request = AddressedTo(caller, IdentificationStatus.AwaitingIdentity);
        if (!Enum.IsDefined(reason) || string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength || text.Any(char.IsControl))
        {
            // The owning state must know why, to supply more evidence or to ask another country.
            throw new DomainRuleException(RuleCode.Validation, $"A refusal needs a known reason code and a text of at most {MaxTextLength} characters.");
        }
        state.State.Request = request with { Status = IdentificationStatus.Refused, Overdue = false, RefusalReason = reason, RefusalText = text.Trim() };
        await ForgetReminder(StepDue);
        return await Save("identification.refused", request.Owner, reason.ToString());
    }

    public async Task<IdentificationRequestView> IssueDocument(Caller caller, TravelDocumentKind kind, string number, DateOnly validFrom, DateOnly validUntil)
    {
        var request = AddressedTo(caller, IdentificationStatus.AwaitingDocument);
        var terms = state.State.Clock!;
        var now = clock.GetUtcNow();
        CheckDocument(terms, kind, number, validFrom, validUntil, Today(now));
        // The case first: a retry after a failed write below records the same document again, which changes nothing.
        await GrainFactory.RecordTravelDocumentAsync(request.ReturneeId, request.Owner, validUntil);
        state.State.Request = request with
        {
            Status = IdentificationStatus.DocumentIssued,
            Overdue = false,
            Document = new IssuedTravelDocument(kind, number.Trim(), validFrom, validUntil, now),
        };
        await ForgetReminder(StepDue);
        return await Save("identification.document-issued", request.Owner);
    }

    public async Task<IdentificationRequestView> RequestReissue(Caller caller)
    {
        if (state.State.Request is not { } request || !caller.IsCoordinatorOf(request.Owner))
        {
            throw new ResourceNotFoundException($"Identification request {GetPrimaryKeyString()} not found.");
        }
        if (request.Status != IdentificationStatus.DocumentIssued || state.State.Erased)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"Only an issued document can be re-issued; the request is {request.Status}.");
        }
        var now = clock.GetUtcNow();
        var due = now.AddDays(state.State.Clock!.ReissueDays);
        state.State.Request = request with { Status = IdentificationStatus.AwaitingDocument, DueBy = due, Overdue = false, Reissues = request.Reissues + 1 };
        await RemindIn(StepDue, due - now);
        return await Save("identification.reissue-requested", request.Destination);
    }

    public async Task Erase()
    {
        if (state.State.Erased || state.State.Request is not { } request)
        {
            return;
        }
        state.State.Erased = true;
        // An open request leaves the destination's queue and the overdue counts; a settled one keeps its outcome as a count.
        var open = request.Status is IdentificationStatus.AwaitingIdentity or IdentificationStatus.AwaitingDocument;
        state.State.Request = request with
        {
            Status = open ? IdentificationStatus.Withdrawn : request.Status,
            Overdue = false,
            RefusalText = null,
            Document = null,
        };
        await ForgetReminder(StepDue);
        if (open)
        {
            // The destination may be asking its embassy or registers: it is told to stop (ids and status only).
            await Save("identification.withdrawn", request.Destination);
            return;
        }
        WriteReadModel(IdentificationSchema.Row(state.State.Request));
        await state.WriteStateAsync();
    }

    public Task<IdentificationRequestView?> Get() => Task.FromResult(state.State.Request);

    /// <summary>A step's deadline passed unanswered: the request becomes overdue and the owning state is told; nothing is presumed.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != StepDue || state.State.Request is not { } request)
        {
            return;
        }
        if (request.Status is not (IdentificationStatus.AwaitingIdentity or IdentificationStatus.AwaitingDocument) || request.Overdue)
        {
            await ForgetReminder(StepDue);
            return;
        }
        if (clock.GetUtcNow() < request.DueBy)
        {
            return;
        }
        state.State.Request = request with { Overdue = true };
        await ForgetReminder(StepDue);
        await Save("identification.overdue", request.Owner);
    }

    private IdentificationRequestView AddressedTo(Caller caller, IdentificationStatus expected)
    {
        if (state.State.Request is not { } request || !caller.IsPartnerOf(request.Destination))
        {
            throw new ResourceNotFoundException($"Identification request {GetPrimaryKeyString()} not found.");
        }
        if (state.State.Erased)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "The case was erased; the request takes no further step.");
        }
        return request.Status == expected
            ? request
            : throw new DomainRuleException(RuleCode.InvalidTransition, $"The request is {request.Status}, not {expected}.");
    }

    private static void CheckDocument(IdentificationClock terms, TravelDocumentKind kind, string number, DateOnly validFrom, DateOnly validUntil, DateOnly today)
    {
        if (!Enum.IsDefined(kind) || !DocumentNumber().IsMatch(number.Trim()))
        {
            // Document numbers are letters and digits (ICAO 9303), some national ones grouped by spaces, hyphens or slashes.
            throw new DomainRuleException(RuleCode.Validation,
                $"A document needs a known kind and a number of letters and digits (spaces, hyphens, slashes between), at most {MaxNumberLength} characters.");
        }
        if (kind == TravelDocumentKind.EuTravelDocumentForReturn && !terms.AcceptsEuTravelDocument)
        {
            throw new DomainRuleException(RuleCode.Identification, "This destination does not accept the European travel document for return.");
        }
        if (validFrom > today || validFrom > validUntil)
        {
            // Rule 6 reads only the end of validity, so a document must already be valid when it is recorded.
            throw new DomainRuleException(RuleCode.Validation, "A document is valid from its issue, not from a later day, and until after that.");
        }
        if (validUntil < today.AddMonths(terms.MinimumValidityMonths))
        {
            throw new DomainRuleException(RuleCode.Identification,
                $"The document must be valid for at least {terms.MinimumValidityMonths} months from today ({today.AddMonths(terms.MinimumValidityMonths):yyyy-MM-dd}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9 /-]{0,38}[A-Za-z0-9])?$")]
    private static partial Regex DocumentNumber();

    private static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    private async Task<IdentificationRequestView> Save(string subject, string notifyCountry, string? reason = null)
    {
        var request = state.State.Request!;
        EnqueueMessage(Outbox.Message(Destination.Country(notifyCountry), request.Id, subject,
            new Notification(subject, Country: request.Destination, Status: request.Status.ToString(), Reason: reason), clock.GetUtcNow()));
        WriteReadModel(IdentificationSchema.Row(request));
        await state.WriteStateAsync();
        return request;
    }
}
