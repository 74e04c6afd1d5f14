using System.Globalization;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReturnOps.Gateway.Auth;

/// <summary>Mints the gateway's JWTs (used by the <c>token</c> command and by tests).</summary>
public sealed class TokenIssuer(TokenSettings settings, TimeProvider clock)
{
    private static readonly TimeSpan s_clockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The longest a token may live, <c>exp - iat</c> (docs/api.md): a leaked token is useful for one working day at most.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    public string Issue(string subject, string role, string? country, TimeSpan? lifetime = null, string? provider = null)
    {
        if (lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A token lives at most {MaxLifetime.TotalHours} hours.");
        }
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = role };
        if (!string.IsNullOrEmpty(country))
        {
            claims["country"] = country;
        }
        if (!string.IsNullOrEmpty(provider))
        {
            claims["provider"] = provider;
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
        ClockSkew = s_clockSkew,
        NameClaimType = "sub",
        RoleClaimType = "role",
    };

    /// <summary>
    /// Whether a validated token carries a known role, at most one country (exactly one where the role needs it) and an
    /// issue time no later than <paramref name="now"/> with a lifetime of at most <see cref="MaxLifetime"/>.
    /// </summary>
    public static string? ClaimsProblem(ClaimsPrincipal principal, DateTimeOffset now)
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
        if (principal.FindAll("country").Count() > 1)
        {
            return "The token must carry at most one country.";
        }
        if (LifetimeProblem(principal, now) is { } lifetime)
        {
            return lifetime;
        }
        var country = principal.FindFirst("country")?.Value;
        if (Roles.NeedsCountry(role) && (country is null || country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            return "Role " + role + " needs a country claim (ISO 3166 alpha-2).";
        }
        var providers = principal.FindAll("provider").ToList();
        if (Roles.NeedsProvider(role)
            ? providers.Count != 1 || !Grains.Reintegration.ReintegrationProvidersGrain.IsProviderId(providers[0].Value) || country is not null
            : providers.Count != 0)
        {
            return "Role provider, and only it, carries one provider claim (lower-case letters, digits, dashes) and no country.";
        }
        return null;
    }

    /// <summary>
    /// <c>iat</c> is required, not in the future (beyond the clock skew), and <c>exp - iat</c> at most <see cref="MaxLifetime"/>:
    /// together they bound <c>exp</c> to <see cref="MaxLifetime"/> after now, whatever the issuer wrote.
    /// </summary>
    private static string? LifetimeProblem(ClaimsPrincipal principal, DateTimeOffset now)
    {
        var issued = principal.FindAll("iat").ToList();
        var expires = principal.FindAll("exp").ToList();
        if (issued.Count != 1 || expires.Count != 1
            || !long.TryParse(issued[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var iat)
            || !long.TryParse(expires[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp))
        {
            return "The token must carry one issue time (iat) and one expiry (exp).";
        }
        if (iat > now.ToUnixTimeSeconds() + (long)s_clockSkew.TotalSeconds)
        {
            return "The token is issued in the future.";
        }
        return exp - iat > (long)MaxLifetime.TotalSeconds ? $"A token lives at most {MaxLifetime.TotalHours} hours (exp - iat)." : null;
    }
}
