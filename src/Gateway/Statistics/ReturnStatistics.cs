namespace ReturnOps.Gateway.Statistics;

/// <summary>
/// Persons returned in one month from one state, by citizenship, destination and type of return: the cells of Eurostat's
/// enforcement-of-immigration-legislation tables (persons returned by citizenship and type of return), monthly, with whether
/// an escort went with them. Counts only.
/// </summary>
/// <param name="Period">The month of departure, <c>yyyy-MM</c> (UTC).</param>
/// <param name="State">The owning state (ISO 3166 alpha-2), Eurostat's reporting country (<c>geo</c>).</param>
/// <param name="Citizenship">ISO 3166 alpha-2, or <c>UNK</c> for returnees booked before the citizenship was kept on the booking.</param>
/// <param name="Destination">The country of return (rule 21).</param>
/// <param name="Type"><c>Enforced</c> (forced) or <c>Voluntary</c>.</param>
public sealed record ReturnCount(string Period, string State, string Citizenship, string Destination, string Type, bool Escorted, long Persons);

/// <summary>A year's persons returned: every state's for the secretariat and the admin, the caller's own for a coordinator.</summary>
public sealed record ReturnStatistics(int Year, string? State, long Persons, long Enforced, long Voluntary, long Escorted, IReadOnlyList<ReturnCount> Months);

/// <summary>
/// Time to obtain a travel document from one destination: the days from the identification request to the recorded document,
/// for the documents recorded in the year (the measure the Court of Auditors found missing, special report 17/2021).
/// </summary>
public sealed record TravelDocumentTime(string Destination, long Documents, double MeanDays, double MedianDays, double MaxDays);

/// <summary>A year's times to obtain a travel document per destination, of the caller's state's requests for a coordinator.</summary>
public sealed record TravelDocumentStatistics(int Year, string? State, IReadOnlyList<TravelDocumentTime> ByDestination);

/// <summary>The two types of return Eurostat counts: enforced (a forced return) and voluntary.</summary>
public static class ReturnTypes
{
    public const string Enforced = "Enforced";
    public const string Voluntary = "Voluntary";
}
