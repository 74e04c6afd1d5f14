using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Countries;
using ReturnOps.Grains.DemoData;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// What an empty database gets at start: always the JCP participants, destinations and readmission clocks
/// (the contract's <c>GET /countries</c> is "seeded with the JCP participants"); with <c>Gateway:SeedDemoData</c>
/// also the domain's demo scenario of returnees and operations in every lifecycle state, and demo reintegration providers.
/// </summary>
public static class DemoData
{
    public static async Task SeedAsync(IGrainFactory grains, TimeProvider clock, bool scenario, CancellationToken cancellationToken)
    {
        if (scenario)
        {
            // Idempotent by its fixed ids; it seeds the participants too.
            await DemoScenario.SeedAsync(grains, clock);
            await DemoProviders.SeedAsync(grains);
            return;
        }
        if ((await grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List()).Count > 0)
        {
            return;
        }
        foreach (var country in JcpParticipants.Participants.Concat(JcpParticipants.Destinations))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await grains.GetGrain<ICountryGrain>(country.Code).Put(country);
        }
        var agreements = grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key);
        foreach (var agreement in JcpParticipants.Agreements)
        {
            await agreements.Put(agreement);
        }
    }
}
