namespace ReturnOps.Grains.Reintegration;

/// <summary>Where a referral stands on the steps of rule 18.</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReferralStatus")]
public enum ReferralStatus
{
    Referred,
    Accepted,
    Declined,

    /// <summary>The provider received the returnee on arrival; the follow-ups are scheduled from the arrival day.</summary>
    Received,
    Planned,
    AssistanceDelivered,

    /// <summary>The 12-month follow-up was reached: the programme is done.</summary>
    Completed,

    /// <summary>The returnee withdrew consent: nothing more is shared or recorded.</summary>
    Stopped,
}

/// <summary>A step the provider records.</summary>
[GenerateSerializer]
[Alias("ReturnOps.ReferralStep")]
public enum ReferralStep
{
    Accept,
    Decline,
    Reception,
    Plan,
    Assistance,
    FollowUp,
}

[GenerateSerializer]
[Alias("ReturnOps.AssistanceKind")]
public enum AssistanceKind
{
    Cash,
    InKind,
}

/// <summary>A follow-up's clock: scheduled, due from its day, overdue after <see cref="ReferralSteps.FollowUpGrace"/>, or reached.</summary>
[GenerateSerializer]
[Alias("ReturnOps.FollowUpState")]
public enum FollowUpState
{
    Scheduled,
    Due,
    Overdue,
    Reached,
}

/// <summary>One step as the provider records it; <see cref="Kind"/> and <see cref="AmountEur"/> for assistance, <see cref="Month"/> (6 or 12) for a follow-up.</summary>
/// <param name="On">The day the step happened (the arrival day for a reception).</param>
/// <param name="Note">The plan's summary or a refusal's reason; personal data, so erased with the case.</param>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReferralStepInput")]
public sealed record ReferralStepInput(
    [property: Id(0)] ReferralStep Step,
    [property: Id(1)] DateOnly On,
    [property: Id(2)] string? Note = null,
    [property: Id(3)] AssistanceKind? Kind = null,
    [property: Id(4)] decimal? AmountEur = null,
    [property: Id(5)] int? Month = null);

/// <summary>A recorded step: what, on which day, when it was recorded and by whom (the token's subject).</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReferralEvent")]
public sealed record ReferralEvent(
    [property: Id(0)] string Step,
    [property: Id(1)] DateOnly On,
    [property: Id(2)] DateTimeOffset RecordedAt,
    [property: Id(3)] string RecordedBy);

/// <summary>Assistance delivered, in exact euros (cents at most).</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.AssistanceDelivery")]
public sealed record AssistanceDelivery(
    [property: Id(0)] AssistanceKind Kind,
    [property: Id(1)] decimal AmountEur,
    [property: Id(2)] DateOnly DeliveredOn);

[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.FollowUp")]
public sealed record FollowUp(
    [property: Id(0)] int Month,
    [property: Id(1)] DateOnly DueOn,
    [property: Id(2)] FollowUpState State,
    [property: Id(3)] DateOnly? ReachedOn = null);

/// <summary>What the returnee grain hands the referral when the owning state refers the case.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReferralOpening")]
public sealed record ReferralOpening(
    [property: Id(0)] string ReturneeId,
    [property: Id(1)] string Owner,
    [property: Id(2)] ReintegrationProvider Provider,
    [property: Id(3)] string ReferredBy);

/// <summary>
/// A referral as the owning state and its provider see it: ids, steps, dates and amounts. The person is not here: the
/// gateway asks the returnee grain for what may be shared (<see cref="ReferralPerson"/>), which it refuses once consent is withdrawn.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReferralView")]
public sealed record ReferralView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ReturneeId,
    [property: Id(2)] string Owner,
    [property: Id(3)] string ProviderId,
    [property: Id(4)] string Destination,
    [property: Id(5)] ReferralStatus Status,
    [property: Id(6)] DateTimeOffset ReferredAt,
    [property: Id(7)] DateOnly? ArrivedOn,
    [property: Id(8)] string? PlanSummary,
    [property: Id(9)] string? DeclineReason,
    [property: Id(10)] IReadOnlyList<ReferralEvent> Steps,
    [property: Id(11)] IReadOnlyList<AssistanceDelivery> Assistance,
    [property: Id(12)] IReadOnlyList<FollowUp> FollowUps,
    [property: Id(13)] DateOnly? StoppedOn,
    [property: Id(14)] bool Erased)
{
    /// <summary>Whether the provider was ever accepted the referral (counts keep it after a withdrawal).</summary>
    public bool WasAccepted => Steps.Any(s => s.Step == nameof(ReferralStep.Accept));

    /// <summary>Declined, completed or stopped: no step can follow.</summary>
    public bool IsClosed => Status is ReferralStatus.Declined or ReferralStatus.Completed or ReferralStatus.Stopped;
}

/// <summary>What a provider needs of the person to receive and support them, and no more (rule 18): no reference, no case history.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReferralPerson")]
public sealed record ReferralPerson(
    [property: Id(0)] string Nationality,
    [property: Id(1)] int BirthYear,
    [property: Id(2)] string Sex,
    [property: Id(3)] bool Voluntary,
    [property: Id(4)] IReadOnlyList<string> Vulnerabilities);

/// <summary>The returnee's consent to a reintegration referral: given on a day for a scope, and possibly withdrawn.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReintegrationConsent")]
public sealed record ReintegrationConsent(
    [property: Id(0)] DateOnly GivenOn,
    [property: Id(1)] string Scope,
    [property: Id(2)] DateOnly? WithdrawnOn = null)
{
    public bool Active => WithdrawnOn is null;
}

/// <summary>A case's reintegration: its consent (null if none was recorded or the case was erased) and its referrals, oldest first.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ReturnOps.ReintegrationCase")]
public sealed record ReintegrationCase(
    [property: Id(0)] string ReturneeId,
    [property: Id(1)] ReintegrationConsent? Consent,
    [property: Id(2)] IReadOnlyList<string> Referrals);
