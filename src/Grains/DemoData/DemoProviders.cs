using ReturnOps.Grains.Reintegration;

namespace ReturnOps.Grains.DemoData;

/// <summary>
/// Reintegration service providers for the demo (rule 18): one per destination the demo returns to. Invented organisations,
/// so seeded only with the demo scenario; a real deployment's admin enters its providers (<c>PUT /reintegration-providers/{id}</c>).
/// </summary>
public static class DemoProviders
{
    public static IReadOnlyList<ReintegrationProvider> All { get; } =
    [
        new("al-tirana-reintegration", "AL", "Tirana Reintegration Service"),
        new("rs-belgrade-reintegration", "RS", "Belgrade Reintegration Office"),
        new("ng-lagos-reintegration", "NG", "Lagos Reintegration Centre"),
        new("pk-islamabad-reintegration", "PK", "Islamabad Reintegration Desk"),
        new("ge-tbilisi-reintegration", "GE", "Tbilisi Reintegration Partners"),
    ];

    /// <summary>Puts every demo provider; putting one again changes nothing.</summary>
    public static async Task SeedAsync(IGrainFactory grains)
    {
        var directory = grains.GetGrain<IReintegrationProvidersGrain>(IReintegrationProvidersGrain.Key);
        foreach (var provider in All)
        {
            await directory.Put(provider);
        }
    }
}
