using Orleans.Concurrency;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Returnees;

/// <summary>One case, keyed by an opaque id the gateway makes (never the owner's reference).</summary>
[Alias("ReturnOps.IReturneeGrain")]
public interface IReturneeGrain : IGrainWithStringKey
{
    /// <summary>Registers the case for <paramref name="owner"/>; repeating the same registration is harmless.</summary>
    [Alias("Register")]
    Task<ReturneeView> Register(string owner, ReturneeCase returnee);

    /// <summary>Replaces the case (a merge patch applied by the gateway); flags an early warning when a booked returnee becomes ineligible.</summary>
    [Alias("Update")]
    Task<ReturneeUpdate> Update(string owner, ReturneeCase returnee);

    /// <summary>The case, or null if it does not exist.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<ReturneeView?> Get();

    /// <summary>Eligibility against an operation without reserving (confirmation re-checks every returnee).</summary>
    [ReadOnly]
    [Alias("Assess")]
    Task<Reservation> Assess(EligibilityContext context);

    /// <summary>Judges the returnee for one booking and holds it if eligible and free (the judgment comes back either way); idempotent per booking.</summary>
    [Alias("Reserve")]
    Task<Reservation> Reserve(BookingRef booking, string bookingCountry, EligibilityContext context);

    /// <summary>
    /// Lets the returnee go from a booking; nothing happens if another booking holds it. <paramref name="stored"/>: the
    /// operation's write that let it go is committed, so its hold row is gone and need not be read again before the next
    /// reservation (a refusal or a failed write leaves the returnee to read it).
    /// </summary>
    [Alias("Release")]
    Task Release(BookingRef booking, bool stored = false);

    /// <summary>
    /// Erases personal data, keeping the owner and the fact of erasure. The owner (null argument) must cancel a booking first;
    /// retention passes its operation id and spares a returnee rebooked on another operation.
    /// </summary>
    [Alias("Erase")]
    Task<bool> Erase(string? unlessBookedElsewhereThan);

    /// <summary>
    /// Records the end of validity of a travel document issued through identification (called by the request); flags the
    /// early warning, like <see cref="Update"/>, when a booked returnee's new document expires before departure.
    /// </summary>
    [Alias("RecordTravelDocument")]
    Task<ReturneeUpdate> RecordTravelDocument(string owner, DateOnly validUntil);

    /// <summary>Records an identification request about the case (called by the request), so that erasure reaches it.</summary>
    [Alias("RecordIdentificationRequest")]
    Task RecordIdentificationRequest(string requestId);

    /// <summary>The ids of the identification requests about the case, also after erasure (ids are no personal data).</summary>
    [ReadOnly]
    [Alias("IdentificationRequests")]
    Task<IReadOnlyList<string>> IdentificationRequests();

    /// <summary>Records the state of a readmission request for a destination (called by the request).</summary>
    [Alias("RecordReadmission")]
    Task RecordReadmission(string destination, string status);

    /// <summary>Records the returnee's consent to a reintegration referral (rule 18), or replaces a withdrawn or active one.</summary>
    [Alias("RecordConsent")]
    Task<ReintegrationCase> RecordConsent(string owner, ReintegrationConsent consent);

    /// <summary>Withdraws consent: every open referral stops at once, before the withdrawal is stored.</summary>
    [Alias("WithdrawConsent")]
    Task<ReintegrationCase> WithdrawConsent(string owner, DateOnly withdrawnOn);

    /// <summary>Refers the case to a provider of its country of return; needs active consent and no open referral.</summary>
    [Alias("Refer")]
    Task<ReferralView> Refer(string owner, string referralId, string providerId, string referredBy);

    /// <summary>The case's consent and referrals, or null if there is no case.</summary>
    [ReadOnly]
    [Alias("Reintegration")]
    Task<ReintegrationCase?> Reintegration();

    /// <summary>
    /// Places a legal hold (rule 22): the owning state's coordinators and courts, or the fundamental-rights officer. A booked
    /// person's seat is suspended at once (the caller relays, see <see cref="EarlyWarning"/>). Idempotent per hold id.
    /// </summary>
    [Alias("PlaceLegalHold")]
    Task<LegalHoldPlaced> PlaceLegalHold(Caller caller, string holdId, InterimMeasure measure);

    /// <summary>Lifts a hold, recording who and why; the person can then be booked or reinstated, judged anew.</summary>
    [Alias("LiftLegalHold")]
    Task<LegalHold> LiftLegalHold(Caller caller, string holdId, string reason);

    /// <summary>The case's legal holds, lifted ones too, for those who may place them.</summary>
    [ReadOnly]
    [Alias("LegalHoldsOf")]
    Task<IReadOnlyList<LegalHold>> LegalHoldsOf(Caller caller);

    /// <summary>What the provider of <paramref name="referralId"/> may see of the person: null without active consent, once the referral is closed, or once erased.</summary>
    [ReadOnly]
    [Alias("SharedWith")]
    Task<ReferralPerson?> SharedWith(string referralId);
}

/// <summary>The members of one family group of one owning state (rule 4), keyed <c>{owner}/{group}</c>.</summary>
[Alias("ReturnOps.IFamilyGroupGrain")]
public interface IFamilyGroupGrain : IGrainWithStringKey
{
    [Alias("Join")]
    Task Join(string returneeId);

    [Alias("Leave")]
    Task Leave(string returneeId);

    [ReadOnly]
    [Alias("Members")]
    Task<IReadOnlyList<string>> Members();
}
