using System.Net;

namespace ReturnOps.Gateway.Auth;

/// <summary>
/// An identity provider of a member state or partner (configuration <c>Auth:Issuers</c>, a list): its tokens are signed
/// with a key of its JWKS (RS256 or ES256, chosen by <c>kid</c>) and may carry only the countries and roles listed here.
/// </summary>
public sealed class TrustedIssuer
{
    public const string Section = "Auth:Issuers";

    /// <summary>The token's <c>iss</c>, exactly.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Where its public keys are (https; http only on loopback, for tests and a local provider).</summary>
    public string JwksUrl { get; set; } = "";

    /// <summary>The only values its <c>country</c> claim may take; empty: its tokens may carry no country.</summary>
    public List<string> Countries { get; set; } = [];

    /// <summary>The only values its <c>provider</c> claim may take (reintegration service providers, rule 18); empty: none.</summary>
    public List<string> Providers { get; set; } = [];

    /// <summary>The only roles its tokens may carry.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>The configured issuers, checked at start: a typo must not silently admit nobody or everybody.</summary>
    public static IReadOnlyList<TrustedIssuer> From(IConfiguration configuration)
    {
        var issuers = configuration.GetSection(Section).Get<List<TrustedIssuer>>() ?? [];
        foreach (var issuer in issuers)
        {
            if (string.IsNullOrWhiteSpace(issuer.Issuer) || issuer.Issuer == TokenSettings.Issuer)
            {
                throw new InvalidOperationException($"{Section}: every issuer needs an Issuer other than '{TokenSettings.Issuer}' (the development key's).");
            }
            if (!Uri.TryCreate(issuer.JwksUrl, UriKind.Absolute, out var jwks)
                || !(jwks.Scheme == Uri.UriSchemeHttps || (jwks.Scheme == Uri.UriSchemeHttp && IsLoopback(jwks))))
            {
                throw new InvalidOperationException($"{Section}: issuer {issuer.Issuer} needs a JwksUrl on https (http only on loopback).");
            }
            if (issuer.Roles.Count == 0 || issuer.Roles.Any(r => !Auth.Roles.All.Contains(r)))
            {
                throw new InvalidOperationException($"{Section}: issuer {issuer.Issuer} needs Roles among {string.Join(", ", Auth.Roles.All)}.");
            }
        }
        if (issuers.GroupBy(i => i.Issuer, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw new InvalidOperationException($"{Section}: an issuer is listed twice.");
        }
        return issuers;
    }

    /// <summary>Why this issuer may not vouch for <paramref name="role"/> in <paramref name="country"/> (or for <paramref name="provider"/>), or null.</summary>
    public string? Refusal(string role, string? country, string? provider = null)
    {
        if (!Roles.Contains(role, StringComparer.Ordinal))
        {
            return $"Issuer {Issuer} may not issue the role {role}.";
        }
        if (provider is not null && !Providers.Contains(provider, StringComparer.Ordinal))
        {
            return $"Issuer {Issuer} may not issue tokens for provider {provider}.";
        }
        return country is not null && !Countries.Contains(country, StringComparer.Ordinal)
            ? $"Issuer {Issuer} may not issue tokens for country {country}."
            : null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
