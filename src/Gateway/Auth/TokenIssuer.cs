using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReturnOps.Gateway.Auth;

/// <summary>Mints the gateway's JWTs (used by the <c>token</c> command and by tests).</summary>
public sealed class TokenIssuer(TokenSettings settings, TimeProvider clock)
{
    public string Issue(string subject, string role, string? country, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = role };
        if (!string.IsNullOrEmpty(country))
        {
            claims["country"] = country;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TokenSettings.Issuer,
            Audience = TokenSettings.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(settings.Key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>Parameters that accept exactly the tokens <see cref="Issue"/> makes.</summary>
    public static TokenValidationParameters ValidationParameters(TokenSettings settings) => new()
    {
        ValidIssuer = TokenSettings.Issuer,
        ValidAudience = TokenSettings.Audience,
        IssuerSigningKey = settings.Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
        RoleClaimType = "role",
    };

    /// <summary>Whether a validated token carries a known role and, where the role needs one, a country code.</summary>
    public static string? ClaimsProblem(ClaimsPrincipal principal)
    {
        var role = principal.FindFirst("role")?.Value;
        if (role is null || !Roles.All.Contains(role) || principal.FindAll("role").Count() != 1)
        {
            return "The token must carry exactly one known role.";
        }
        if (string.IsNullOrEmpty(principal.FindFirst("sub")?.Value))
        {
            return "The token must carry a subject.";
        }
        var country = principal.FindFirst("country")?.Value;
        if (Roles.NeedsCountry(role) && (country is null || country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            return "Role " + role + " needs a country claim (ISO 3166 alpha-2).";
        }
        return null;
    }
}
