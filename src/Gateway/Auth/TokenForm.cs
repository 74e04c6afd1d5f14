using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReturnOps.Gateway.Auth;

/// <summary>
/// What the token handler leaves unchecked of a JWT's form. A header with <c>crit</c> names extensions the recipient must
/// understand or refuse (RFC 7515 §4.1.11); the gateway understands none, so any is refused. The time claims are NumericDates,
/// JSON numbers (RFC 7519 §2): <c>"exp": "1900000000"</c> was read as the number it spells.
/// </summary>
public static class TokenForm
{
    private static readonly string[] s_times = ["exp", "nbf", "iat"];

    /// <summary>Why the token's form is refused, or null.</summary>
    public static string? Problem(JsonWebToken token)
    {
        using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedHeader));
        if (header.RootElement.TryGetProperty("crit", out _))
        {
            return "The token's header names critical extensions (crit), which the gateway does not understand.";
        }
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        return s_times.Any(t => payload.RootElement.TryGetProperty(t, out var time) && time.ValueKind != JsonValueKind.Number)
            ? "The token's times (exp, nbf, iat) are numbers of seconds."
            : null;
    }
}
