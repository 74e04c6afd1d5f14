using System.Globalization;
using static ReturnOps.Gateway.PassengerLists.EdifactSegment;

namespace ReturnOps.Gateway.PassengerLists;

/// <summary>
/// A passenger list as one UN/EDIFACT interchange holding one PAXLST message (directory D.02B, the WCO/IATA/ICAO API
/// guidelines' message implementation guide): UNA, UNB, UNG, UNH ... UNT, UNE, UNZ. docs/api.md says which segments and why.
/// </summary>
public static class PaxlstMessage
{
    public const string ContentType = "application/edifact";

    // UNH message identifier: PAXLST of directory D.02B, UN-controlled, in IATA's implementation (the guidelines' association code).
    private static readonly string?[] MessageIdentifier = ["PAXLST", "D", "02B", "UN", "IATA"];

    // Date and time formats of the guidelines: YYMMDD in UNB/UNG and DTM+36, YYMMDDHHMM (format 201) for the flight.
    private const string DateFormat = "yyMMdd";
    private const string TimeFormat = "HHmm";

    /// <summary>The interchange, stamped at <paramref name="preparedAt"/> (UTC), which also makes its control reference.</summary>
    public static string Write(PassengerList list, DateTimeOffset preparedAt)
    {
        var at = preparedAt.UtcDateTime;
        // Control references: unique per sender for at least a year, as the guidelines ask of the interchange reference.
        var interchange = at.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture);
        const string group = "1";
        const string message = "1";
        var stamp = E(at.ToString(DateFormat, CultureInfo.InvariantCulture), at.ToString(TimeFormat, CultureInfo.InvariantCulture));
        var body = Body(list, message);
        return string.Concat(
        [
            ServiceStringAdvice,
            Of("UNB", E("UNOA", "4"), E(list.Sender), E(list.Recipient), stamp, E(interchange), E(), E("APIS")),
            Of("UNG", E("PAXLST"), E(list.Sender), E(list.Recipient), stamp, E(group), E("UN"), E("D", "02B")),
            .. body,
            Of("UNE", E("1"), E(group)),
            Of("UNZ", E("1"), E(interchange)),
        ]);
    }

    /// <summary>UNH to UNT; UNT counts the message's segments, UNH and UNT included.</summary>
    private static List<string> Body(PassengerList list, string reference)
    {
        var departure = list.DepartureLocal;
        var segments = new List<string>
        {
            Of("UNH", E(reference), MessageIdentifier, E($"{list.Flight}/{departure.ToString(DateFormat, CultureInfo.InvariantCulture)}"), E("01", "F")),
            Of("BGM", E("745")),
            Of("NAD", E("MS"), E(), E(), E(list.ReportingParty)),
            Of("TDT", E("20"), E(list.Flight.ToString()), E(), E(), E(list.Flight.Airline)),
            Of("LOC", E("125"), E(list.DepartureAirport)),
            Of("DTM", E("189", departure.ToString(DateFormat + TimeFormat, CultureInfo.InvariantCulture), "201")),
            Of("LOC", E("87"), E(list.ArrivalAirport)),
        };
        foreach (var traveller in list.Travellers)
        {
            segments.AddRange(Traveller(traveller));
        }
        segments.Add(Of("CNT", E("42", list.Travellers.Count.ToString(CultureInfo.InvariantCulture))));
        segments.Add(Of("UNT", E((segments.Count + 1).ToString(CultureInfo.InvariantCulture)), E(reference)));
        return segments;
    }

    private static IEnumerable<string> Traveller(Traveller t)
    {
        yield return Of("NAD", E("FL"), E(), E(), E(t.Surname));
        if (t.Sex is { } sex)
        {
            yield return Of("ATT", E("2"), E(), E(sex));
        }
        if (t.BirthYear is { } year)
        {
            // Format 602 (CCYY): the platform holds the year of birth only, and a made-up day would be a false statement.
            yield return Of("DTM", E("329", year.ToString("0000", CultureInfo.InvariantCulture), "602"));
        }
        yield return Of("LOC", E("178"), E(t.Embarkation));
        yield return Of("LOC", E("179"), E(t.Debarkation));
        if (t.Nationality is { } nationality)
        {
            yield return Of("NAT", E("2"), E(nationality));
        }
        if (t.Document is { } document)
        {
            yield return Of("DOC", E(document.Type, "110", "111"), E(document.Number));
            yield return Of("DTM", E("36", document.Expiry.ToString(DateFormat, CultureInfo.InvariantCulture)));
            yield return Of("LOC", E("91"), E(document.IssuingState));
        }
    }
}
