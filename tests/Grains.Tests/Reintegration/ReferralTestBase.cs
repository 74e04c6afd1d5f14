using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Returnees;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Reintegration;

/// <summary>Providers in Nigeria and Serbia, and an Austrian case of a Nigerian national with recorded consent.</summary>
public abstract class ReferralTestBase(SharedPostgres postgres) : DomainTestBase(postgres)
{
    protected const string Lagos = "ng-lagos-reintegration";
    protected const string Belgrade = "rs-belgrade-reintegration";
    protected const string Scope = "Referral to a reintegration provider in the country of return; shares nationality, year of birth, sex, vulnerabilities.";

    protected DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    protected async Task ProvidersAsync()
    {
        var providers = Grains.GetGrain<IReintegrationProvidersGrain>(IReintegrationProvidersGrain.Key);
        await providers.Put(new ReintegrationProvider(Lagos, "NG", "Lagos Reintegration Centre"));
        await providers.Put(new ReintegrationProvider(Belgrade, "RS", "Belgrade Reintegration Office"));
    }

    /// <summary>A case with consent recorded today.</summary>
    protected async Task<IReturneeGrain> ConsentingAsync()
    {
        var returnee = Grains.GetGrain<IReturneeGrain>(await Returnee("AT"));
        await returnee.RecordConsent("AT", new ReintegrationConsent(Today, Scope));
        return returnee;
    }

    /// <summary>A referral to Lagos, accepted and with the returnee received today.</summary>
    protected async Task<(IReturneeGrain Returnee, IReintegrationReferralGrain Referral)> ReceivedAsync(string id = "ri-1")
    {
        await ProvidersAsync();
        var returnee = await ConsentingAsync();
        await returnee.Refer("AT", id, Lagos, "clerk");
        var referral = Grains.GetGrain<IReintegrationReferralGrain>(id);
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Accept, Today));
        await referral.Record(Provider(), new ReferralStepInput(ReferralStep.Reception, Today));
        return (returnee, referral);
    }

    protected static Rules.Caller Provider(string id = Lagos) => Rules.Caller.ProviderUser(id, "case-worker");
}
