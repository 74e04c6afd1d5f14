using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Outbox <c>destination</c> values the dispatcher knows. <c>country:AT</c> fans out to every subscription of
/// Austria whose event filter matches the message type; <c>grain:operation/OP-17</c> calls a grain.
/// </summary>
public static partial class Destination
{
    private const string CountryPrefix = "country:";

    public static string Country(string isoCode) =>
        CountryCode().IsMatch(isoCode) ? CountryPrefix + isoCode : throw new ArgumentException($"'{isoCode}' is not an ISO 3166 alpha-2 code.", nameof(isoCode));

    public static bool TryParseCountry(string destination, [NotNullWhen(true)] out string? isoCode)
    {
        isoCode = destination.StartsWith(CountryPrefix, StringComparison.Ordinal) ? destination[CountryPrefix.Length..] : null;
        if (isoCode is null || !CountryCode().IsMatch(isoCode))
        {
            isoCode = null;
            return false;
        }
        return true;
    }

    /// <summary><c>role:fro</c>, <c>carriers:OP-17</c>, <c>provider:al-x</c>: feeds read inside the platform, with no webhook of their own.</summary>
    public static bool IsInternalFeed(string destination) =>
        destination.StartsWith("role:", StringComparison.Ordinal) || destination.StartsWith("carriers:", StringComparison.Ordinal)
        || destination.StartsWith("provider:", StringComparison.Ordinal);

    private const string GrainPrefix = "grain:";

    /// <summary><c>grain:{route}/{key}</c>: a one-way message to a grain, delivered through <see cref="GrainMessageRoutes"/>.</summary>
    public static string Grain(string route, string key) =>
        !route.Contains('/', StringComparison.Ordinal) && route.Length > 0 && key.Length > 0
            ? $"{GrainPrefix}{route}/{key}"
            : throw new ArgumentException("A route is a non-empty name without '/'; a key is non-empty.", nameof(route));

    public static bool TryParseGrain(string destination, [NotNullWhen(true)] out string? route, [NotNullWhen(true)] out string? key)
    {
        route = key = null;
        if (!destination.StartsWith(GrainPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var slash = destination.IndexOf('/', GrainPrefix.Length);
        if (slash <= GrainPrefix.Length || slash == destination.Length - 1)
        {
            return false;
        }
        route = destination[GrainPrefix.Length..slash];
        key = destination[(slash + 1)..];
        return true;
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();
}
