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
}
