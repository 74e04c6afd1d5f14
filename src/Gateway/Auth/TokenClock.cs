using Microsoft.IdentityModel.Tokens;

namespace ReturnOps.Gateway.Auth;

/// <summary>
/// Token time: the clock a bearer token's lifetime is issued, validated and held against (the JWT handler's lifetime check,
/// the contract's claim rules, an event stream that ends at <c>exp</c>). The system clock in the gateway, registered under
/// <see cref="Key"/> so that a test can move it. Never the domain clock: that one is fake in tests and moves apart from token
/// time, and a token issued on one clock and checked on another is either refused at once or never expires.
/// </summary>
public static class TokenClock
{
    public const string Key = "ReturnOps.TokenTime";

    /// <summary>The token clock of <paramref name="services"/>; the system clock where none is registered.</summary>
    public static TimeProvider Of(IServiceProvider services) => services.GetKeyedService<TimeProvider>(Key) ?? TimeProvider.System;

    /// <summary>
    /// The handler's lifetime check on <paramref name="clock"/> instead of the system's, with the same
    /// rules and the same exceptions (the bearer challenge names an expired token from the exception's type).
    /// </summary>
    public static LifetimeValidator Validator(TimeProvider clock) => (notBefore, expires, _, parameters) =>
    {
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry (exp).");
        }
        if (notBefore is { } nbf && nbf > expires)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's not-before (nbf) is after its expiry (exp).") { NotBefore = nbf, Expires = expires };
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (notBefore is { } start && start > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException($"The token is not valid before {start:O}.") { NotBefore = start };
        }
        if (expires.Value < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException($"The token expired at {expires.Value:O}.") { Expires = expires.Value };
        }
        return true;
    };
}
