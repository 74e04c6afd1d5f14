using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Returnees;

/// <summary>
/// Rule 18 on the case: the returnee's consent, and the referrals it allows. The case decides, because consent lives here:
/// a referral is opened from this grain only while consent is active, and a withdrawal stops every referral before it is
/// stored, so no provider reads the person after the withdrawal's answer (<see cref="SharedWith"/> asks here too).
/// </summary>
public sealed partial class ReturneeGrain
{
    public const int MaxConsentScopeLength = 1000;

    public async Task<ReintegrationCase> RecordConsent(string owner, ReintegrationConsent consent)
    {
        Owned(owner);
        if (string.IsNullOrWhiteSpace(consent.Scope) || consent.Scope.Length > MaxConsentScopeLength || consent.WithdrawnOn is not null
            || consent.GivenOn > Today() || consent.Scope.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            throw new DomainRuleException(RuleCode.Validation, $"Consent needs the day it was given (not in the future) and its scope in at most {MaxConsentScopeLength} characters of text.");
        }
        S.Consent = consent with { Scope = consent.Scope.Trim() };
        await Save();
        return ReintegrationView();
    }

    public async Task<ReintegrationCase> WithdrawConsent(string owner, DateOnly withdrawnOn)
    {
        Owned(owner);
        if (S.Consent is not { Active: true } consent)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, "There is no active consent to withdraw.");
        }
        if (withdrawnOn < consent.GivenOn || withdrawnOn > Today())
        {
            throw new DomainRuleException(RuleCode.Validation, "Consent is withdrawn between the day it was given and today.");
        }
        // Stopped first: should storing the withdrawal fail, sharing has stopped all the same, and a retry finishes it.
        foreach (var referral in S.Referrals)
        {
            await GrainFactory.GetGrain<IReintegrationReferralGrain>(referral).Stop(withdrawnOn);
        }
        S.Consent = consent with { WithdrawnOn = withdrawnOn };
        await Save();
        return ReintegrationView();
    }

    public async Task<ReferralView> Refer(string owner, string referralId, string providerId, string referredBy)
    {
        var c = Owned(owner);
        var referral = GrainFactory.GetGrain<IReintegrationReferralGrain>(referralId);
        if (S.Referrals.Contains(referralId))
        {
            return (await referral.Get())!;
        }
        if (S.Consent is not { Active: true })
        {
            throw new DomainRuleException(RuleCode.ReintegrationConsent, "A referral needs the returnee's recorded consent, not withdrawn.");
        }
        var provider = await GrainFactory.GetGrain<IReintegrationProvidersGrain>(IReintegrationProvidersGrain.Key).Get(providerId)
            ?? throw new DomainRuleException(RuleCode.Validation, $"There is no reintegration provider {providerId}.");
        var countries = CountriesOfReturn(c);
        if (!countries.Contains(provider.Country))
        {
            throw new DomainRuleException(RuleCode.ReintegrationProvider,
                $"The provider serves {provider.Country}; the returnee returns to {string.Join(" or ", countries)} (nationality or accepted readmission).");
        }
        if (S.Referrals.Count > 0 && await GrainFactory.GetGrain<IReintegrationReferralGrain>(S.Referrals[^1]).Get() is { IsClosed: false } open)
        {
            throw new DomainRuleException(RuleCode.InvalidTransition, $"Referral {open.Id} is still open.");
        }
        var view = await referral.Open(new ReferralOpening(GetPrimaryKeyString(), owner, provider, referredBy));
        S.Referrals.Add(referralId);
        await Save();
        return view;
    }

    public Task<ReintegrationCase?> Reintegration() => Task.FromResult(S.Owner is null ? null : ReintegrationView());

    public async Task<ReferralPerson?> SharedWith(string referralId)
    {
        if (S.Case is not { } c || S.Consent is not { Active: true } || !S.Referrals.Contains(referralId))
        {
            return null;
        }
        // Consent given anew covers new referrals only: a referral stopped by a withdrawal (or otherwise closed) stays dark.
        var referral = await GrainFactory.GetGrain<IReintegrationReferralGrain>(referralId).Get();
        return referral is { IsClosed: false } ? new ReferralPerson(c.Nationality, c.BirthYear, c.Sex, c.Voluntary, [.. c.Vulnerabilities]) : null;
    }

    private async Task EraseReferrals()
    {
        foreach (var referral in S.Referrals)
        {
            await GrainFactory.GetGrain<IReintegrationReferralGrain>(referral).Erase();
        }
    }

    /// <summary>The case if <paramref name="owner"/> owns it and it is not erased; for anyone else it does not exist.</summary>
    private ReturneeCase Owned(string owner) =>
        S.Owner == owner && S.Case is { } c ? c : throw new ResourceNotFoundException($"Returnee {GetPrimaryKeyString()} not found.");

    /// <summary>Rule 21's countries of return: the nationality and every destination that accepted the readmission.</summary>
    private List<string> CountriesOfReturn(ReturneeCase c) =>
        [c.Nationality, .. S.Readmission.Where(r => r.Value == Eligibility.Accepted).Select(r => r.Key).Order(StringComparer.Ordinal)];

    private ReintegrationCase ReintegrationView() => new(GetPrimaryKeyString(), S.Consent, [.. S.Referrals]);

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
