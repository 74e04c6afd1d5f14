namespace ReturnOps.Gateway.Auth.SignIn;

/// <summary>
/// How the pages sign people in (configuration <c>Auth:SignIn</c>): the OpenID Connect provider of the member state, one of
/// <c>Auth:Issuers</c>, and this gateway's client registration there. Without an authority, Development (or
/// <c>Auth:SignIn:Demo=true</c>) signs in at the demo identity provider the gateway serves itself; anywhere
/// else the pages offer only a pasted token.
/// </summary>
public sealed class SignInSettings
{
    public const string Section = "Auth:SignIn";

    /// <summary>The provider's issuer URL (its discovery document is at <c>/.well-known/openid-configuration</c> below it).</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>Empty for a public client: PKCE protects the code either way.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Serves <see cref="DemoIdentityProvider"/>; defaults to on in Development only.</summary>
    public bool? Demo { get; set; }

    /// <summary>An idle session ends after this long; each request in its second half renews it (sliding expiration).</summary>
    public int IdleMinutes { get; set; } = 60;

    /// <summary>Whether the demo identity provider is served and signed in at.</summary>
    public bool UsesDemoIdentityProvider { get; private set; }

    /// <summary>Whether the pages can sign in at all (a provider configured, or the demo one).</summary>
    public bool Enabled => UsesDemoIdentityProvider || Authority.Length > 0;

    /// <summary>The settings, checked at start: an authority must be a configured issuer, so that its people get its roles only.</summary>
    public static SignInSettings From(IConfiguration configuration, bool isDevelopment, IReadOnlyList<TrustedIssuer> issuers)
    {
        var settings = configuration.GetSection(Section).Get<SignInSettings>() ?? new SignInSettings();
        if (settings.IdleMinutes is < 1 or > 12 * 60)
        {
            throw new InvalidOperationException($"{Section}:IdleMinutes must be between 1 and {12 * 60}.");
        }
        if (settings.Authority.Length == 0)
        {
            settings.UsesDemoIdentityProvider = settings.Demo ?? isDevelopment;
            settings.ClientId = settings.UsesDemoIdentityProvider ? DemoIdentityProvider.ClientId : "";
            return settings;
        }
        if (settings.Demo == true)
        {
            throw new InvalidOperationException($"{Section}: Demo and an Authority exclude each other.");
        }
        if (!Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{Section}:Authority must be an https URL.");
        }
        if (IssuerOf(settings.Authority, issuers) is null)
        {
            throw new InvalidOperationException($"{Section}:Authority {settings.Authority} must be one of {TrustedIssuer.Section}: only they are trusted with roles.");
        }
        if (settings.ClientId.Length == 0)
        {
            throw new InvalidOperationException($"{Section}:ClientId is required with an Authority.");
        }
        return settings;
    }

    /// <summary>The configured issuer an <c>iss</c> names, a trailing slash aside (discovery documents differ in it).</summary>
    public static TrustedIssuer? IssuerOf(string? issuer, IReadOnlyList<TrustedIssuer> issuers) =>
        issuer is null ? null : issuers.FirstOrDefault(i => string.Equals(i.Issuer.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal));
}
