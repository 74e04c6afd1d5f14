using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Countries;
using ReturnOps.Runtime;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// The JCP participants (domain.md, seed 003) and the readmission clocks domain.md names, written once
/// into an empty database so that the first run shows a working platform.
/// </summary>
public static class DemoData
{
    public static IReadOnlyList<Country> Countries { get; } =
    [
        new("AT", "Austria", CountryGroup.EU, ["VIE"]),
        new("BE", "Belgium", CountryGroup.EU, ["BRU"]),
        new("BG", "Bulgaria", CountryGroup.EU, ["SOF"]),
        new("HR", "Croatia", CountryGroup.EU, ["ZAG"]),
        new("CZ", "Czech Republic", CountryGroup.EU, ["PRG"]),
        new("FR", "France", CountryGroup.EU, ["CDG"]),
        new("DE", "Germany", CountryGroup.EU, ["FRA", "MUC", "BER"]),
        new("HU", "Hungary", CountryGroup.EU, ["BUD"]),
        new("PL", "Poland", CountryGroup.EU, ["WAW"]),
        new("RO", "Romania", CountryGroup.EU, ["OTP"]),
        new("SK", "Slovakia", CountryGroup.EU, ["BTS"]),
        new("SI", "Slovenia", CountryGroup.EU, ["LJU"]),
        new("CH", "Switzerland", CountryGroup.SchengenAssociated, ["ZRH", "GVA"]),
        new("AL", "Albania", CountryGroup.WesternBalkans, ["TIA"]),
        new("BA", "Bosnia and Herzegovina", CountryGroup.WesternBalkans, ["SJJ"]),
        new("XK", "Kosovo", CountryGroup.WesternBalkans, ["PRN"]),
        new("ME", "Montenegro", CountryGroup.WesternBalkans, ["TGD"]),
        new("MK", "North Macedonia", CountryGroup.WesternBalkans, ["SKP"]),
        new("RS", "Serbia", CountryGroup.WesternBalkans, ["BEG"]),
    ];

    public static IReadOnlyList<ReadmissionClock> Agreements { get; } =
    [
        new("BA", 10, 0, SilenceMeansAcceptance: false, TransferDays: 90),
        new("ME", 12, 0, SilenceMeansAcceptance: false, TransferDays: 90),
        new("AL", 14, 0, SilenceMeansAcceptance: false, TransferDays: 90),
        new("RS", 10, 6, SilenceMeansAcceptance: false, TransferDays: 90),
    ];

    public static async Task SeedAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var directory = await grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List();
        if (directory.Count > 0)
        {
            return;
        }
        foreach (var country in Countries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await grains.GetGrain<ICountryGrain>(country.Code).Put(country);
        }
        var agreements = grains.GetGrain<IReadmissionAgreementsGrain>(IReadmissionAgreementsGrain.Key);
        foreach (var clock in Agreements)
        {
            await agreements.Put(clock);
        }
    }
}
