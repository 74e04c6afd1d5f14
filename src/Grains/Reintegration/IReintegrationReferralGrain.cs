using Orleans.Concurrency;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Reintegration;

/// <summary>
/// One referral of a case to a reintegration service provider (rule 18), keyed by an id the gateway makes. Only the returnee
/// grain opens, stops and erases it (calls go downwards: returnee → referral, never back).
/// </summary>
[Alias("ReturnOps.IReintegrationReferralGrain")]
public interface IReintegrationReferralGrain : IGrainWithStringKey
{
    /// <summary>Opens the referral (the returnee grain checked consent and the provider); repeating it is harmless.</summary>
    [Alias("Open")]
    Task<ReferralView> Open(ReferralOpening opening);

    /// <summary>A step recorded by the provider the referral is addressed to; anyone else finds no referral.</summary>
    [Alias("Record")]
    Task<ReferralView> Record(Caller caller, ReferralStepInput step);

    /// <summary>Consent was withdrawn on <paramref name="on"/>: the referral stops at once; its counts stay. Idempotent.</summary>
    [Alias("Stop")]
    Task<ReferralView?> Stop(DateOnly on);

    /// <summary>The case's personal data is erased (rule 15): the referral's text goes too; steps, dates and amounts stay.</summary>
    [Alias("Erase")]
    Task Erase();

    /// <summary>The referral, or null.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<ReferralView?> Get();
}
