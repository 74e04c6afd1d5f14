using System.Globalization;
using CsvHelper;

namespace ReturnOps.Gateway.Statistics;

/// <summary>
/// The return statistics as CSV (RFC 4180, written by CsvHelper): one observation per line in the long layout of Eurostat's
/// SDMX-CSV downloads (dimensions, then <c>TIME_PERIOD</c> and <c>OBS_VALUE</c>), so that a statistics office can set them beside
/// its own tables: persons returned by citizenship and type of return (migr_eirt_vol), by destination (migr_eirt_des).
/// </summary>
public static class ReturnStatisticsCsv
{
    public const string ContentType = "text/csv";

    /// <summary><c>freq</c>: monthly. <c>geo</c>: the state that returned; <c>citizen</c>, <c>c_dest</c>: ISO 3166 alpha-2.</summary>
    private static readonly string[] s_returnsHeader = ["freq", "geo", "citizen", "c_dest", "rtn_type", "escort", "unit", "TIME_PERIOD", "OBS_VALUE"];

    private static readonly string[] s_documentsHeader = ["geo", "c_dest", "TIME_PERIOD", "documents", "mean_days", "median_days", "max_days"];

    public static string Write(ReturnStatistics statistics) => Write(s_returnsHeader, statistics.Months.Select(m => new[]
    {
        "M", m.State, m.Citizenship, m.Destination, m.Type == ReturnTypes.Voluntary ? "VOL" : "ENF", m.Escorted ? "ESC" : "NESC", "PER", m.Period,
        m.Persons.ToString(CultureInfo.InvariantCulture),
    }));

    public static string Write(TravelDocumentStatistics statistics) => Write(s_documentsHeader, statistics.ByDestination.Select(d => new[]
    {
        statistics.State ?? "ALL", d.Destination, statistics.Year.ToString(CultureInfo.InvariantCulture), d.Documents.ToString(CultureInfo.InvariantCulture),
        Days(d.MeanDays), Days(d.MedianDays), Days(d.MaxDays),
    }));

    private static string Days(double days) => days.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Write(string[] header, IEnumerable<string[]> records)
    {
        // Every field is a code or a number, but a spreadsheet runs a cell starting with =, +, - or @: escaped all the same.
        var options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true))
        {
            foreach (var record in records.Prepend(header))
            {
                csv.WriteRecord(record);
            }
        }
        return text.ToString();
    }
}
