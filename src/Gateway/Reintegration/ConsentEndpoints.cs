using Microsoft.AspNetCore.Http.HttpResults;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Hosting.OpenApi;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Reintegration;
using ReturnOps.Grains.Returnees;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Reintegration;

/// <summary>
/// Rule 18 on the case: the owning state's coordinator records and withdraws the returnee's consent and refers the case.
/// Personal data, so every call is audited; for anyone but the owner the case does not exist (404).
/// </summary>
public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/returnees", "Reintegration").RequireAuthorization(Policies.Coordinator);
        group.MapGet("/{id}/reintegration", GetAsync).Audited("reintegration.read").WithSummary("Read a case's consent and referrals")
            .WithDescription("Coordinator of the owning country only; 404 for anyone else and once the case is erased. The consent (day given, " +
                "scope, day withdrawn) and every referral of the case, oldest first. Audited.");
        group.MapPut("/{id}/reintegration/consent", RecordAsync).Audited("consent.record").WithSummary("Record the returnee's consent to a referral")
            .WithDescription("Coordinator of the owning country only. The day consent was given (not in the future) and its scope, at most 1000 " +
                "characters (422 otherwise); it replaces earlier consent. Consent given again after a withdrawal covers new referrals only.");
        group.MapPost("/{id}/reintegration/consent/withdrawal", WithdrawAsync).Audited("consent.withdraw")
            .WithSummary("Withdraw consent: every referral of the case stops at once")
            .WithDescription("Coordinator of the owning country only, while consent is active (409 otherwise). The withdrawal day lies between the " +
                "day consent was given and today (422); every referral stops before the answer, and from then on no provider sees the person, " +
                "replayed answers included.");
        group.MapPost("/{id}/reintegration-referrals", ReferAsync).Audited("reintegration.refer")
            .WithSummary("Refer the case to a provider of its country of return")
            .WithDescription("Coordinator of the owning country only. Needs active consent (422 `reintegration-consent`) and a provider serving the " +
                "returnee's nationality or a destination that accepted its readmission (422 `reintegration-provider`); 409 while an earlier " +
                "referral is open. The provider sees nationality, birth year, sex, whether the return is voluntary and vulnerabilities: no name, no reference.")
            .ProducesLocation();
        return app;
    }

    private static async Task<Ok<ReintegrationCaseResource>> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var returnee = await OwnedAsync(id, http, grains);
        return TypedResults.Ok(await ResourceAsync((await returnee.Reintegration())!, grains));
    }

    private static async Task<Ok<ReintegrationCaseResource>> RecordAsync(string id, ConsentInput input, HttpContext http, IGrainFactory grains)
    {
        var returnee = await OwnedAsync(id, http, grains);
        var recorded = await returnee.RecordConsent(http.User.ToCaller().CountryOf(), new ReintegrationConsent(input.GivenOn, input.Scope));
        return TypedResults.Ok(await ResourceAsync(recorded, grains));
    }

    private static async Task<Ok<ReintegrationCaseResource>> WithdrawAsync(string id, ConsentWithdrawalInput input, HttpContext http, IGrainFactory grains,
        IdempotencyStore replays)
    {
        var returnee = await OwnedAsync(id, http, grains);
        var withdrawn = await returnee.WithdrawConsent(http.User.ToCaller().CountryOf(), input.WithdrawnOn);
        foreach (var referral in withdrawn.Referrals)
        {
            await replays.ForgetSharedPersonAsync(referral, http.RequestAborted);
        }
        return TypedResults.Ok(await ResourceAsync(withdrawn, grains));
    }

    private static async Task<Created<ReferralCreated>> ReferAsync(string id, ReferralInput input, HttpContext http, IGrainFactory grains,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
    {
        var returnee = await OwnedAsync(id, http, grains);
        var caller = http.User.ToCaller();
        var referralId = ApiConventions.NewId(ReintegrationApi.IdPrefix, clock);
        var referral = await returnee.Refer(caller.CountryOf(), referralId, input.ProviderId, caller.Subject);
        return TypedResults.Created($"{ApiConventions.BasePath}/reintegration-referrals/{referral.Id}",
            new ReferralCreated(referral.Id, referral.Status, referral.ProviderId, referral.Destination));
    }

    private static async Task<ReintegrationCaseResource> ResourceAsync(ReintegrationCase c, IGrainFactory grains)
    {
        var referrals = new List<ReferralView>();
        foreach (var id in c.Referrals)
        {
            if (await grains.GetGrain<IReintegrationReferralGrain>(id).Get() is { } referral)
            {
                referrals.Add(referral);
            }
        }
        return new ReintegrationCaseResource(c.ReturneeId, c.Consent, referrals);
    }

    /// <summary>The case if the caller's country owns it and it is not erased; otherwise it does not exist for the caller.</summary>
    private static async Task<IReturneeGrain> OwnedAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var country = http.User.ToCaller().CountryOf();
        if (!ApiConventions.IsId(id))
        {
            throw new ResourceNotFoundException();
        }
        var returnee = grains.GetGrain<IReturneeGrain>(id);
        return await returnee.Get() is { Case: not null } view && view.Owner == country ? returnee : throw new ResourceNotFoundException();
    }
}
