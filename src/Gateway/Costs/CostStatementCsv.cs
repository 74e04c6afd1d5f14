using System.Globalization;
using System.Text;
using ReturnOps.Grains.Costs;

namespace ReturnOps.Gateway.Costs;

/// <summary>
/// A cost statement as CSV (RFC 4180): a header line, one record per cost line, co-financing line, the net cost and each share
/// the caller may see; CRLF line ends, dot decimals, fields quoted when they hold a comma, quote or line break.
/// </summary>
public static class CostStatementCsv
{
    public const string ContentType = "text/csv";

    private static readonly string[] s_header = ["operation", "record", "id", "category", "description", "from", "to", "country", "seats", "amountEur"];

    public static string Write(CostStatement statement)
    {
        var csv = new StringBuilder();
        void Row(params string?[] fields) => csv.Append(string.Join(',', fields.Select(Field))).Append("\r\n");
        Row(s_header);
        foreach (var line in statement.Costs)
        {
            Row(statement.OperationId, "cost", line.Id, line.Category.ToString(), line.Description, line.From, line.To, null, null, Euros(line.Amount));
        }
        foreach (var line in statement.CoFinancing)
        {
            Row(statement.OperationId, "co-financing", line.Id, line.Source, line.Description, null, null, null, null, Euros(line.Amount));
        }
        Row(statement.OperationId, "net-cost", null, null, statement.Final ? "final" : "provisional", null, null, null,
            statement.TotalSeats.ToString(CultureInfo.InvariantCulture), Euros(statement.NetCost));
        foreach (var share in statement.Shares)
        {
            Row(statement.OperationId, "share", null, null, null, null, null, share.Country, share.Seats.ToString(CultureInfo.InvariantCulture), Euros(share.Share));
        }
        return csv.ToString();
    }

    private static string Euros(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// RFC 4180 quoting; text the organiser typed that a spreadsheet would run as a formula (=, +, -, @) gets a leading
    /// apostrophe first (OWASP's advice on CSV injection). Amounts are never negative, so no number is changed.
    /// </summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
