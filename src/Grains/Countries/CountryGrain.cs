using System.Text.RegularExpressions;
using ReturnOps.Grains.Rules;
using ReturnOps.Grains.Hosting;

namespace ReturnOps.Grains.Countries;

[GrainType("country")]
public sealed partial class CountryGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<CountryState> state) : DomainGrain, ICountryGrain
{
    public async Task<Country> Put(Country country)
    {
        if (country.Code != GetPrimaryKeyString() || !IsoCode().IsMatch(country.Code))
        {
            throw new DomainRuleException(RuleCode.Validation, $"Country code '{country.Code}' must be the ISO 3166 alpha-2 code of this country.");
        }
        if (string.IsNullOrWhiteSpace(country.Name) || country.Airports.Any(a => !Iata().IsMatch(a)))
        {
            throw new DomainRuleException(RuleCode.Validation, "A country needs a name, and airports are three-letter IATA codes.");
        }
        var stored = country with { Airports = [.. country.Airports] };
        state.State.Country = stored;
        await state.WriteStateAsync();
        // Downwards to a leaf that never calls back: no cycle, so a plain call is safe.
        await GrainFactory.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).Upsert(stored);
        return stored;
    }

    public Task<Country?> Get() => Task.FromResult(state.State.Country);

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex IsoCode();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Iata();
}

[GrainType("country-directory")]
public sealed class CountryDirectoryGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<CountryDirectoryState> state) : DomainGrain, ICountryDirectoryGrain
{
    public async Task Upsert(Country country)
    {
        state.State.Countries[country.Code] = country;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<Country>> List() => Task.FromResult<IReadOnlyList<Country>>([.. state.State.Countries.Values]);
}
