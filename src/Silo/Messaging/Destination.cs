using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// Outbox <c>destination</c> values the dispatcher knows. <c>country:AT</c> fans out to every subscription of
/// Austria whose event filter matches the message type.
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

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();
}
