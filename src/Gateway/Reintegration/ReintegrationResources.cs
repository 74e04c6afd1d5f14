using System.ComponentModel.DataAnnotations;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Returnees;

namespace ReturnOps.Gateway.Reintegration;

/// <summary>Body of <c>PUT /returnees/{id}/reintegration/consent</c>: the day the returnee consented and to what.</summary>
public sealed record ConsentInput(DateOnly GivenOn, [property: MaxLength(ReturneeGrain.MaxConsentScopeLength)] string Scope);

/// <summary>Body of <c>POST /returnees/{id}/reintegration/consent/withdrawal</c>.</summary>
public sealed record ConsentWithdrawalInput(DateOnly WithdrawnOn);

/// <summary>Body of <c>POST /returnees/{id}/reintegration-referrals</c>: the provider of the country of return.</summary>
public sealed record ReferralInput([property: MaxLength(RequestLimits.MaxIdLength)] string ProviderId);

/// <summary>
/// Body of <c>POST /reintegration-referrals/{id}/steps</c>: <see cref="Step"/> and the day <see cref="On"/> it happened; a plan's
/// summary or a refusal's reason in <see cref="Note"/>; <see cref="Kind"/> and <see cref="AmountEur"/> for assistance; <see cref="Month"/>
/// (6 or 12) for a follow-up.
/// </summary>
public sealed record ReferralStepBody(
    ReferralStep Step,
    DateOnly On,
    [property: MaxLength(ReferralSteps.MaxNoteLength)] string? Note = null,
    AssistanceKind? Kind = null,
    [property: Range(0.01, (double)ReferralSteps.MaxAmountEur)] decimal? AmountEur = null,
    [property: Range(6, 12)] int? Month = null)
{
    public ReferralStepInput ToInput() => new(Step, On, Note, Kind, AmountEur, Month);
}

/// <summary>Body of <c>PUT /reintegration-providers/{id}</c>.</summary>
public sealed record ProviderInput([property: StringLength(2, MinimumLength = 2)] string Country, [property: MaxLength(RequestLimits.MaxName)] string Name);

/// <summary>
/// One referral and, while the returnee's consent holds and the referral is open, the little the provider may know of the person
/// (<see cref="Person"/> is null once consent is withdrawn, the referral stopped or closed, or the case erased).
/// </summary>
public sealed record ReferralResource(ReferralView Referral, ReintegrationProvider? Provider, ReferralPerson? Person);

/// <summary>A case's consent and its referrals, oldest first.</summary>
public sealed record ReintegrationCaseResource(string ReturneeId, ReintegrationConsent? Consent, IReadOnlyList<ReferralView> Referrals);

public sealed record ReferralListItem(string Id, string ReturneeId, string Owner, string ProviderId, string Destination, ReferralStatus Status,
    DateTimeOffset ReferredAt, FollowUpState? FollowUp6, FollowUpState? FollowUp12);

/// <summary>A page of referrals; <see cref="NextAfter"/> is passed back as <c>after</c>, null on the last page.</summary>
public sealed record ReferralList(IReadOnlyList<ReferralListItem> Items, string? NextAfter);

public sealed record ReferralCreated(string Id, ReferralStatus Status, string ProviderId, string Destination);

public sealed record ProviderList(IReadOnlyList<ReintegrationProvider> Items);
