namespace ReturnOps.Gateway.TravelDocuments;

/// <summary>
/// ISO 3166 alpha-2 (the platform's country codes) to the three-letter codes a machine-readable zone carries (ICAO Doc 9303
/// Part 3): alpha-3 for most states, 'D' for Germany, RKS for Kosovo (which has no ISO alpha-3). The participants and
/// destinations of the seeded data; a country an admin adds later has no code here and its document is refused (422) until it does.
/// </summary>
public static class IcaoStateCodes
{
    private static readonly Dictionary<string, string> s_codes = new(StringComparer.Ordinal)
    {
        ["AT"] = "AUT", ["HR"] = "HRV", ["CZ"] = "CZE", ["BE"] = "BEL", ["BG"] = "BGR", ["DE"] = "D", ["FR"] = "FRA", ["HU"] = "HUN",
        ["PL"] = "POL", ["RO"] = "ROU", ["SK"] = "SVK", ["SI"] = "SVN", ["CH"] = "CHE", ["AL"] = "ALB", ["BA"] = "BIH", ["XK"] = "RKS",
        ["ME"] = "MNE", ["MK"] = "MKD", ["RS"] = "SRB", ["NG"] = "NGA", ["PK"] = "PAK", ["GE"] = "GEO", ["CN"] = "CHN",
    };

    public static string? Of(string iso2) => s_codes.GetValueOrDefault(iso2);
}
