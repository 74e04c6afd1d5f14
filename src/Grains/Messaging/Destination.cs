using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ReturnOps.Grains.Messaging;

/// <summary>
/// Where outbox messages go: the grains write these addresses, the dispatcher (src/Silo) reads them, and nothing else spells
/// the prefixes. <c>country:AT</c> fans out to every subscription of Austria whose event filter matches the message type;
/// <c>role:</c>, <c>carriers:</c> and <c>provider:</c> are feeds read inside the platform; <c>grain:operation/OP-17</c> calls a grain.
/// </summary>
public static partial class Destination
{
    private const string CountryPrefix = "country:";
    private const string RolePrefix = "role:";
    private const string CarriersPrefix = "carriers:";
    private const string ProviderPrefix = "provider:";
    private const string GrainPrefix = "grain:";

    /// <summary>A member-state or partner system, by ISO 3166 alpha-2 code.</summary>
    public static string Country(string isoCode) =>
        CountryCode().IsMatch(isoCode) ? CountryPrefix + isoCode : throw new ArgumentException($"'{isoCode}' is not an ISO 3166 alpha-2 code.", nameof(isoCode));

    /// <summary>Everyone holding a role, e.g. the fundamental-rights officer.</summary>
    public static string Role(string role) => RolePrefix + role;

    /// <summary>The carriers (airline and handling agents) of one operation.</summary>
    public static string Carriers(string operationId) => CarriersPrefix + operationId;

    /// <summary>A reintegration service provider's feed (rule 18), read in the platform.</summary>
    public static string Provider(string providerId) => ProviderPrefix + providerId;

    /// <summary><c>grain:{route}/{key}</c>: a one-way durable message to a grain (upward notifications), delivered by the dispatcher's grain routes.</summary>
    public static string Grain(string route, string key) =>
        !route.Contains('/', StringComparison.Ordinal) && route.Length > 0 && key.Length > 0
            ? $"{GrainPrefix}{route}/{key}"
            : throw new ArgumentException("A route is a non-empty name without '/'; a key is non-empty.", nameof(route));

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
        destination.StartsWith(RolePrefix, StringComparison.Ordinal) || destination.StartsWith(CarriersPrefix, StringComparison.Ordinal)
        || destination.StartsWith(ProviderPrefix, StringComparison.Ordinal);

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
