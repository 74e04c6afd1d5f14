using System.Text.RegularExpressions;
using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Hosting;

/// <summary>Shared parameter checks and the routes of api.md, in one place.</summary>
public static partial class ApiConventions
{
    public const string BasePath = "/api/v1";

    /// <summary>An ISO 3166 alpha-2 code from a path or body; a malformed one is a malformed request (400).</summary>
    public static string CountryCode(string value, string name = "country code")
    {
        return IsoCode().IsMatch(value) ? value : throw RequestProblemException.BadRequest($"The {name} must be two upper-case letters (ISO 3166 alpha-2).");
    }

    /// <summary>
    /// Ids are lower-case letters, digits and dashes (the gateway's are a prefix and 32 hex digits, the demo's readable).
    /// Anything else cannot exist: 404 without touching a grain.
    /// </summary>
    public static bool IsId(string value) =>
        value.Length is > 0 and <= RequestLimits.MaxIdLength && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public static string NewId(string prefix, TimeProvider clock) => prefix + Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");

    /// <summary>Parses an enum name exactly (no numbers, no case folding), or answers 400.</summary>
    public static TEnum? EnumOrNull<TEnum>(string? value, string name) where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return Enum.GetNames<TEnum>().Contains(value, StringComparer.Ordinal)
            ? Enum.Parse<TEnum>(value)
            : throw RequestProblemException.BadRequest($"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    /// <summary>CSV only when Accept names <c>text/csv</c> and prefers it to JSON; anything else (no Accept, */*) is JSON.</summary>
    public static bool WantsCsv(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().Accept;
        var csv = accepted.Where(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = accepted.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        return csv > 0 && csv >= json;
    }

    /// <summary>A resource's routes under the base path; their error answers are documented by convention (<c>Hosting/OpenApi</c>).</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string path, string tag) =>
        app.MapGroup(BasePath + path).WithTags(tag);

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex IsoCode();
}
