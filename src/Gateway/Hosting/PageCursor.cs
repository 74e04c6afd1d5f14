using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// The one paging convention of every list: <c>?after=</c> takes the <c>nextAfter</c> of the page before, <c>?limit=</c> the
/// page size (each list names its default and maximum). A cursor is the sort key of the last item shown, tagged with the
/// list it belongs to, in base64url: opaque to clients, so the key can change without breaking them. Anything that does
/// not decode to a key of this list is a 400 and reads nothing.
/// </summary>
public sealed class PageCursor
{
    private const char Separator = '\n';
    private readonly string[] _fields;

    private PageCursor(string[] fields) => _fields = fields;

    /// <summary>The cursor after an item whose sort key is <paramref name="key"/>, in list <paramref name="list"/>.</summary>
    public static string Encode(string list, params string[] key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(Separator, [list, .. key])));

    /// <summary>
    /// The key in <paramref name="after"/>, or null for the first page. A cursor of another list, with another number of
    /// fields or not base64url is a 400.
    /// </summary>
    public static PageCursor? Decode(string? after, string list, int keyFields)
    {
        if (string.IsNullOrEmpty(after))
        {
            return null;
        }
        string text;
        try
        {
            text = after.Length <= RequestLimits.MaxParameterLength ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(after)) : "";
        }
        catch (FormatException)
        {
            text = "";
        }
        var fields = text.Split(Separator);
        return fields.Length == keyFields + 1 && fields[0] == list ? new PageCursor(fields[1..]) : throw Invalid();
    }

    /// <summary>Field <paramref name="index"/> as an id (the lists' tie breaker); anything else is a 400.</summary>
    public string Id(int index) => ApiConventions.IsId(_fields[index]) ? _fields[index] : throw Invalid();

    /// <summary>Field <paramref name="index"/> as a whole number; anything else is a 400.</summary>
    public long Number(int index) =>
        long.TryParse(_fields[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid();

    /// <summary>The page size of <c>?limit=</c>: <paramref name="fallback"/> when absent, 400 outside 1..<paramref name="max"/>.</summary>
    public static int Limit(int? limit, int fallback, int max) =>
        limit switch
        {
            null => fallback,
            >= 1 when limit <= max => limit.Value,
            _ => throw RequestProblemException.BadRequest(string.Create(CultureInfo.InvariantCulture, $"limit must be between 1 and {max}.")),
        };

    /// <summary>
    /// A page from <paramref name="rows"/>, read with <c>LIMIT limit + 1</c>: the extra row only says that more follow, so the
    /// last page has no next cursor and a client never asks for an empty one.
    /// </summary>
    public static (IReadOnlyList<T> Items, string? NextAfter) Page<T>(List<T> rows, int limit, string list, Func<T, string[]> key)
    {
        if (rows.Count <= limit)
        {
            return (rows, null);
        }
        rows.RemoveRange(limit, rows.Count - limit);
        return (rows, Encode(list, key(rows[^1])));
    }

    private static RequestProblemException Invalid() =>
        RequestProblemException.BadRequest("after must be the nextAfter of an earlier page of this list.");
}
