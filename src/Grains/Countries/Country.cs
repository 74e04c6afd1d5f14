namespace ReturnOps.Grains.Countries;

/// <summary>How a participant relates to the EU; decides nothing in code, used for statistics and lists.</summary>
[GenerateSerializer]
[Alias("ReturnOps.CountryGroup")]
public enum CountryGroup
{
    EU,
    SchengenAssociated,
    WesternBalkans,
    ThirdCountry,
}

/// <summary>A participant or destination: data, not code, so an admin can add one at run time.</summary>
/// <param name="Code">ISO 3166 alpha-2 (Kosovo: XK).</param>
/// <param name="Airports">Departure airports, IATA codes.</param>
/// <param name="Endpoint">Reference to the country's system endpoint for messages, if it has one.</param>
[GenerateSerializer]
[Alias("ReturnOps.Country")]
public sealed record Country(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] CountryGroup Group,
    [property: Id(3)] IReadOnlyList<string> Airports,
    [property: Id(4)] string? Authority = null,
    [property: Id(5)] string? Endpoint = null);
