using ReturnOps.Grains.Countries;
using ReturnOps.Grains.Rules;
using ReturnOps.TestSupport;

namespace ReturnOps.Grains.Tests.Countries;

public sealed class CountryTests(SharedPostgres postgres) : DomainTestBase(postgres)
{
    [Fact]
    public async Task A_country_added_at_run_time_is_listed_and_updates_replace_it()
    {
        await StartAsync();
        await Grains.GetGrain<ICountryGrain>("XK").Put(new Country("XK", "Kosovo", CountryGroup.WesternBalkans, ["PRN"]));
        await Grains.GetGrain<ICountryGrain>("NG").Put(new Country("NG", "Nigeria", CountryGroup.ThirdCountry, ["LOS"]));
        await Grains.GetGrain<ICountryGrain>("NG").Put(new Country("NG", "Nigeria", CountryGroup.ThirdCountry, ["LOS", "ABV"]));

        var all = await Grains.GetGrain<ICountryDirectoryGrain>(ICountryDirectoryGrain.Key).List();

        Assert.Equal(["NG", "XK"], all.Select(c => c.Code));
        Assert.Equal(["LOS", "ABV"], all[0].Airports);
    }

    [Theory]
    [InlineData("xk", "PRN")]
    [InlineData("KOS", "PRN")]
    [InlineData("XK", "PR")]
    public async Task Codes_are_iso_alpha2_and_airports_iata(string code, string airport)
    {
        await StartAsync();

        Assert.Equal(RuleCode.Validation, await RuleOf(() => Grains.GetGrain<ICountryGrain>(code).Put(new Country(code, "Kosovo", CountryGroup.WesternBalkans, [airport]))));
    }
}
