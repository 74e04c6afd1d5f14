namespace ReturnOps.Gateway.Calendars;

/// <summary>
/// The IANA time zone of each airport the participants and destinations list (JcpParticipants), so that a feed can name the
/// local time of a departure beside its UTC time. An airport an admin adds later and this table does not know is shown in UTC
/// only, saying that its zone is not on file, rather than guessed from its country (Germany has one zone, China one, but
/// not every destination will).
/// </summary>
public static class AirportZones
{
    private static readonly Dictionary<string, string> s_zones = new(StringComparer.Ordinal)
    {
        ["VIE"] = "Europe/Vienna", ["ZAG"] = "Europe/Zagreb", ["PRG"] = "Europe/Prague", ["BRU"] = "Europe/Brussels",
        ["SOF"] = "Europe/Sofia", ["FRA"] = "Europe/Berlin", ["MUC"] = "Europe/Berlin", ["DUS"] = "Europe/Berlin",
        ["BER"] = "Europe/Berlin", ["CDG"] = "Europe/Paris", ["BUD"] = "Europe/Budapest", ["WAW"] = "Europe/Warsaw",
        ["OTP"] = "Europe/Bucharest", ["BTS"] = "Europe/Bratislava", ["LJU"] = "Europe/Ljubljana", ["ZRH"] = "Europe/Zurich",
        ["GVA"] = "Europe/Zurich", ["TIA"] = "Europe/Tirane", ["SJJ"] = "Europe/Sarajevo", ["PRN"] = "Europe/Belgrade",
        ["TGD"] = "Europe/Podgorica", ["SKP"] = "Europe/Skopje", ["BEG"] = "Europe/Belgrade", ["LOS"] = "Africa/Lagos",
        ["ABV"] = "Africa/Lagos", ["ISB"] = "Asia/Karachi", ["LHE"] = "Asia/Karachi", ["TBS"] = "Asia/Tbilisi",
        ["PEK"] = "Asia/Shanghai", ["PVG"] = "Asia/Shanghai",
    };

    /// <summary>The airport's zone, or null when it is not on file (or the machine has no such zone).</summary>
    public static TimeZoneInfo? Of(string iata) =>
        s_zones.TryGetValue(iata, out var id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>"VIE, 10:00 local time (Europe/Vienna, UTC+01:00)": what a reader in the calendar sees beside the UTC time.</summary>
    public static string LocalTime(string iata, DateTimeOffset at)
    {
        if (Of(iata) is not { } zone)
        {
            return $"{iata}: time zone not on file, times in UTC";
        }
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{iata}: {local:yyyy-MM-dd HH:mm} local time ({zone.Id}, UTC{local:zzz})");
    }
}
