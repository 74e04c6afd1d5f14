using System.Security.Claims;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Auth;

/// <summary>Reads the caller the grains decide visibility with from a validated token.</summary>
public static class CallerExtensions
{
    public static Caller ToCaller(this ClaimsPrincipal user) => new(
        user.FindFirst("role")?.Value ?? "",
        user.FindFirst("country")?.Value,
        user.FindFirst("sub")?.Value ?? "");

    /// <summary>The country a coordinator or partner acts for; the token guarantees it for those roles.</summary>
    public static string CountryOf(this Caller caller) =>
        caller.Country ?? throw new AccessDeniedException("This action needs a country claim.");
}
