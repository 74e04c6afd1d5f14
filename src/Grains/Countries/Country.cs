namespace ReturnOps.Grains.Countries;

/// <summary>How a participant relates to the EU; decides nothing in code, used for statistics and lists.</summary>
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
public sealed record Country(
    string Code,
    string Name,
    CountryGroup Group,
    IReadOnlyList<string> Airports,
    string? Authority = null,
    string? Endpoint = null);
