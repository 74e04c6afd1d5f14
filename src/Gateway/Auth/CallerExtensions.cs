using System.Globalization;
using System.Security.Claims;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Auth;

/// <summary>Reads the caller the grains decide visibility with from a validated token.</summary>
public static class CallerExtensions
{
    public static Caller ToCaller(this ClaimsPrincipal user) => new(
        user.FindFirst("role")?.Value ?? "",
        user.FindFirst("country")?.Value,
        user.FindFirst("sub")?.Value ?? "",
        user.FindFirst("provider")?.Value);

    /// <summary>
    /// The whole identity of a validated token as one key, <c>role:length(country):country:sub</c>: two callers share it only when
    /// role, country and subject are all equal. Role is one of a fixed set without ':' and the country's length is given, so the
    /// key parses back one way only. Used where the gateway keeps something per caller (idempotent answers, booking ids).
    /// A provider's token has no country; its provider id takes that place (the role tells which it is).
    /// </summary>
    public static string IdentityKey(this ClaimsPrincipal user)
    {
        var country = user.FindFirst("country")?.Value ?? user.FindFirst("provider")?.Value ?? "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{user.FindFirst("role")?.Value}:{country.Length}:{country}:{user.FindFirst("sub")?.Value}");
    }

    /// <summary>The country a coordinator or partner acts for; the token guarantees it for those roles.</summary>
    public static string CountryOf(this Caller caller) =>
        caller.Country ?? throw new AccessDeniedException("This action needs a country claim.");

    /// <summary>The reintegration service provider a provider acts for; the token guarantees it for that role.</summary>
    public static string ProviderOf(this Caller caller) =>
        caller.Provider ?? throw new AccessDeniedException("This action needs a provider claim.");
}
