using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Hosting;

/// <summary>Strong ETags from a version or from content, and the If-Match check of state-changing calls.</summary>
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
}
