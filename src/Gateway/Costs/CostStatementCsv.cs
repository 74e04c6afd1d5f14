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
    /// RFC 4180 quoting, after neutralising formulas (OWASP's advice on CSV injection): a cell a spreadsheet would run as a
    /// formula (=, +, -, @, tab, CR) gets a leading apostrophe. A spreadsheet of a <c>;</c> locale (DE, AT, FR, BE) splits our
    /// fields at <c>;</c> (where our quotes, not at the start of its cell, mean nothing), others at tabs, so every place where
    /// one of them may start a cell is treated so: the field's start and the place after each <c>;</c>, tab or line break. Spaces, control and format characters before the
    /// trigger (stored before cost texts refused them) do not hide it. Amounts are never negative, so no number is changed.
    /// </summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var neutral = new StringBuilder(value.Length + 2);
        for (var i = 0; i < value.Length; i++)
        {
            if ((i == 0 || value[i - 1] is ';' or '\t' or '\r' or '\n') && StartsFormula(value, i))
            {
                neutral.Append('\'');
            }
            neutral.Append(value[i]);
        }
        value = neutral.ToString();
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>Whether a cell starting at <paramref name="at"/> begins, after anything invisible, with a formula trigger.</summary>
    private static bool StartsFormula(string value, int at)
    {
        var i = at;
        while (i < value.Length && (value[i] == ' ' || (char.IsControl(value[i]) && value[i] is not '\t' and not '\r')
            || char.GetUnicodeCategory(value[i]) == UnicodeCategory.Format))
        {
            i++;
        }
        return i < value.Length && value[i] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }
}
