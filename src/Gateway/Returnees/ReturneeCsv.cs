using System.Globalization;
using System.Text;

namespace ReturnOps.Gateway.Returnees;

/// <summary>One line of an import file: its cases, or what is wrong with it (line 1 is the header).</summary>
public sealed record ReturneeCsvRow(int Line, ReturneeInput? Case, IReadOnlyList<string> Problems);

/// <summary>
/// Cases in CSV (RFC 4180: commas, double quotes, a header naming the fields of <c>POST /returnees</c> in any order; lines end
/// in CRLF, LF or CR; a leading byte order mark is dropped).
/// Yes/no fields take <c>true</c>/<c>false</c> or <c>yes</c>/<c>no</c>; dates are <c>yyyy-MM-dd</c>; vulnerabilities are
/// separated by <c>;</c>. Every line is read to the end, so a clerk gets every problem of the file at once.
/// </summary>
public static class ReturneeCsv
{
    public const int MaxRows = 500;

    private static readonly string[] s_required = ["reference", "nationality", "birthYear", "sex"];
    private static readonly string[] s_optional =
    [
        "familyGroup", "unaccompaniedMinor", "receptionArrangement", "decisionEnforceable", "appealPending", "appealSuspensive",
        "nonRefoulementCleared", "travelDocumentValidUntil", "medicalFlag", "fitToTravelOn", "vulnerabilities", "voluntary",
    ];

    public static IReadOnlyList<ReturneeCsvRow> Parse(string text)
    {
        // Excel's "CSV UTF-8" starts with a byte order mark, which would otherwise be part of the first column's name.
        var records = Records(text.StartsWith('\uFEFF') ? text[1..] : text);
        if (records.Count == 0)
        {
            return [new(1, null, ["the file is empty; the first line names the columns"])];
        }
        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        var headerProblems = HeaderProblems(header);
        if (headerProblems.Count > 0)
        {
            return [new(records[0].Line, null, headerProblems)];
        }
        var rows = records.Skip(1).Where(r => r.Fields.Any(f => f.Trim().Length > 0)).Select(r => Row(header, r)).ToList();
        if (rows.Count == 0)
        {
            return [new(1, null, ["the file has no case below its header"])];
        }
        if (rows.Count > MaxRows)
        {
            return [new(1, null, [$"at most {MaxRows} cases per file; this one has {rows.Count}"])];
        }
        return DuplicateReferences(rows);
    }

    private static List<string> HeaderProblems(List<string> header)
    {
        var known = s_required.Concat(s_optional).ToHashSet(StringComparer.Ordinal);
        var problems = s_required.Where(c => !header.Contains(c)).Select(c => $"column {c} is missing").ToList();
        problems.AddRange(header.Where(c => !known.Contains(c)).Select(c => $"column \"{c}\" is not a field of a case"));
        problems.AddRange(header.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => $"column {g.Key} appears twice"));
        return problems;
    }

    private static ReturneeCsvRow Row(List<string> header, (int Line, List<string> Fields) record)
    {
        var problems = new List<string>();
        if (record.Fields.Count != header.Count)
        {
            return new(record.Line, null, [$"{record.Fields.Count} values for {header.Count} columns"]);
        }
        var values = header.Zip(record.Fields, (h, v) => (h, v.Trim())).ToDictionary(p => p.h, p => p.Item2, StringComparer.Ordinal);
        string? Text(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        bool Flag(string name, bool otherwise)
        {
            switch (Text(name)?.ToLowerInvariant())
            {
                case null: return otherwise;
                case "true" or "yes": return true;
                case "false" or "no": return false;
                default: problems.Add($"{name} is yes or no"); return otherwise;
            }
        }
        DateOnly? Date(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
            problems.Add($"{name} is a date like 2027-03-31");
            return null;
        }
        var yearRead = int.TryParse(Text("birthYear"), NumberStyles.None, CultureInfo.InvariantCulture, out var birthYear);
        if (!yearRead)
        {
            problems.Add("birthYear is a year like 1990");
        }
        var input = new ReturneeInput(
            Reference: Text("reference") ?? "",
            Nationality: Text("nationality") ?? "",
            BirthYear: birthYear,
            Sex: Text("sex") ?? "",
            UnaccompaniedMinor: Flag("unaccompaniedMinor", false),
            DecisionEnforceable: Flag("decisionEnforceable", false),
            AppealPending: Flag("appealPending", false),
            AppealSuspensive: Flag("appealSuspensive", false),
            NonRefoulementCleared: Flag("nonRefoulementCleared", false),
            MedicalFlag: Flag("medicalFlag", false),
            Vulnerabilities: [.. (Text("vulnerabilities") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            Voluntary: Flag("voluntary", false),
            FamilyGroup: Text("familyGroup"),
            ReceptionArrangement: Text("receptionArrangement"),
            TravelDocumentValidUntil: Date("travelDocumentValidUntil"),
            FitToTravelOn: Date("fitToTravelOn"));
        // A year that did not parse is already reported; the case's own checks would repeat it. One that parsed (0, 00) is checked
        // like any other, so that no line the grain would refuse reaches it after the lines before it were stored.
        problems.AddRange(input.Problems().Where(p => yearRead || !p.Contains("birth year", StringComparison.Ordinal)));
        return new(record.Line, problems.Count == 0 ? input : null, problems);
    }

    /// <summary>One case per reference: the same reference twice in a file is almost always a pasted line.</summary>
    private static List<ReturneeCsvRow> DuplicateReferences(List<ReturneeCsvRow> rows)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<ReturneeCsvRow>();
        foreach (var row in rows)
        {
            if (row.Case is { } c && !first.TryAdd(c.Reference, row.Line))
            {
                result.Add(row with { Case = null, Problems = [$"reference {c.Reference} is already on line {first[c.Reference]}"] });
                continue;
            }
            result.Add(row);
        }
        return result;
    }

    /// <summary>RFC 4180 records with the line each starts on; a quoted field may hold commas, quotes ("") and line breaks.</summary>
    private static List<(int Line, List<string> Fields)> Records(string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += LineEnd(text, i) ? 1 : 0;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r' when !LineEnd(text, i):
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    records.Add((start, fields));
                    fields = [];
                    field.Clear();
                    any = false;
                    start = ++line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add((start, fields));
        }
        return records;
    }

    /// <summary>
    /// Whether the line ends at <paramref name="i"/>: LF, or CR not followed by LF (CR-only files, as old Mac spreadsheets write
    /// them, would otherwise read as one line). The CR of a CRLF is not an end: its LF is.
    /// </summary>
    private static bool LineEnd(string text, int i) =>
        text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'));
}
