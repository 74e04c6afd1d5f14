using Orleans.Concurrency;

namespace ReturnOps.Grains.Countries;

/// <summary>One participant or destination, keyed by its ISO 3166 alpha-2 code.</summary>
[Alias("ReturnOps.ICountryGrain")]
public interface ICountryGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the country (admin) and lists it in the directory.</summary>
    [Alias("Put")]
    Task<Country> Put(Country country);

    /// <summary>The country, or null if it was never added.</summary>
    [ReadOnly]
    [Alias("Get")]
    Task<Country?> Get();
}

/// <summary>The list of every country, one grain (key <see cref="Key"/>): small data, read often.</summary>
[Alias("ReturnOps.ICountryDirectoryGrain")]
public interface ICountryDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "jcp";

    /// <summary>Records a country's current data; called by its <see cref="ICountryGrain"/> only.</summary>
    [Alias("Upsert")]
    Task Upsert(Country country);

    /// <summary>Every country, ordered by code.</summary>
    [ReadOnly]
    [Alias("List")]
    Task<IReadOnlyList<Country>> List();
}
