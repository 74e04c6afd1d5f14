using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Hosting;

/// <summary>Strong ETags from a version or from content, and the If-Match preconditions of state-changing calls.</summary>
public static class ETags
{
    public static string FromVersion(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>For resources without a version: a hash of their JSON form.</summary>
    public static string FromContent<T>(T value) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, GatewayJson.Options))))[..32] + "\"";

    /// <summary>Throws 412 when the request has an If-Match that matches neither <paramref name="current"/> nor <c>*</c>.</summary>
    public static void CheckIfMatch(HttpRequest request, string current)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return;
        }
        var accepted = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (!accepted.Any(tag => tag == "*" || tag == current))
        {
            throw RequestProblemException.PreconditionFailed($"If-Match {ifMatch} does not match the current ETag {current}.");
        }
    }

    /// <summary>
    /// The version a versioned resource's change must still find (If-Match), for the grain to check in its turn:
    /// null when there is no If-Match or it is <c>*</c>. A header naming none of the version <paramref name="read"/>
    /// just now is 412 at once; otherwise the answer is <paramref name="read"/>, which the grain compares atomically.
    /// </summary>
    public static long? ExpectedVersion(HttpRequest request, long read)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        var accepted = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (accepted.Length == 0 || accepted.Contains("*"))
        {
            return null;
        }
        var current = FromVersion(read);
        return accepted.Contains(current)
            ? read
            : throw RequestProblemException.PreconditionFailed($"If-Match {ifMatch} does not match the current ETag {current}.");
    }

    /// <summary>
    /// The If-Match of a change the grain checks alone, without the gateway reading the version first (a booking, issue 22):
    /// null when there is none or it is <c>*</c>, the version when it names one; false when it names several, which only a
    /// read of the current version can resolve (<see cref="ExpectedVersion"/>). A tag that is no version can never match.
    /// </summary>
    public static bool TryExpectedVersion(HttpRequest request, out long? expected)
    {
        expected = null;
        var accepted = request.Headers.IfMatch.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (accepted.Length == 0 || accepted.Contains("*"))
        {
            return true;
        }
        if (accepted.Length > 1)
        {
            return false;
        }
        var tag = accepted[0];
        expected = tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
            && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? version
                : -1;
        return true;
    }
}
