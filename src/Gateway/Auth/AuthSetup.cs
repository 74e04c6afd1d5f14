using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReturnOps.Gateway.Auth.SignIn;

namespace ReturnOps.Gateway.Auth;

/// <summary>
/// JWT bearer authentication (and the pages' session cookie, <see cref="PageSession"/>) and the role policies; every endpoint
/// needs a caller unless marked anonymous. Tokens come from
/// the gateway's own HS256 key (<see cref="TokenSettings"/>) or from a configured issuer (<see cref="TrustedIssuer"/>,
/// keys from its JWKS), which may vouch only for its own countries and roles.
/// </summary>
public static class AuthSetup
{
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services, TokenSettings settings, IReadOnlyList<TrustedIssuer> issuers,
        SignInSettings signIn, IConfiguration configuration)
    {
        services.AddSingleton(settings);
        // Token time, not the domain's clock (TokenClock): issued, validated and held against one clock.
        services.TryAddKeyedSingleton(TokenClock.Key, TimeProvider.System);
        services.AddSingleton(sp => new TokenIssuer(settings, TokenClock.Of(sp)));
        services.AddHttpClient(IssuerKeys.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => new IssuerKeys(issuers, sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetKeyedService<TimeProvider>(IssuerKeys.ClockKey) ?? TimeProvider.System, sp.GetRequiredService<ILogger<IssuerKeys>>()));
        // Bearer for API clients, the session cookie for the pages (PageSession): the same claims reach the policies either way.
        services.AddAuthentication(PageSession.Scheme).AddJwtBearer().AddPageSession(signIn, issuers, configuration);
        // The keys are resolved per token, from services: configured here rather than in AddJwtBearer's callback.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IssuerKeys, IServiceProvider>((o, keys, sp) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = TokenIssuer.ValidationParameters(settings);
            o.TokenValidationParameters.ValidIssuers = [TokenSettings.Issuer, .. issuers.Select(i => i.Issuer)];
            o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256, .. IssuerKeys.Algorithms];
            o.TokenValidationParameters.IssuerSigningKey = null;
            o.TokenValidationParameters.IssuerSigningKeyResolver = (_, token, kid, _) => SigningKeys(token as JsonWebToken, kid, settings, keys);
            o.TokenValidationParameters.LifetimeValidator = TokenClock.Validator(TokenClock.Of(sp));
            o.Events = new JwtBearerEvents { OnMessageReceived = FetchIssuerKeysAsync, OnTokenValidated = CheckClaims };
        });
        services.AddAuthorizationBuilder()
            // A reintegration service provider (rule 18: it sees only its referrals) and a court (rule 22: it sees only legal holds)
            // stand outside the return operations, so they are admitted only where an endpoint's policy names their role, never by the fallback.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .RequireAssertion(c => !Roles.All.Where(Roles.Outside).Any(c.User.IsInRole)).Build())
            .AddPolicy(Policies.Coordinator, p => p.RequireRole(Roles.Coordinator).RequireClaim("country"))
            .AddPolicy(Policies.Partner, p => p.RequireRole(Roles.Partner).RequireClaim("country"))
            .AddPolicy(Policies.CountryActor, p => p.RequireRole(Roles.Coordinator, Roles.Partner).RequireClaim("country"))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Oversight, p => p.RequireRole(Roles.Fro, Roles.Admin))
            .AddPolicy(Policies.Staffing, p => p.RequireRole(Roles.Secretariat, Roles.Coordinator))
            .AddPolicy(Policies.StaffingAndAdmin, p => p.RequireRole(Roles.Secretariat, Roles.Coordinator, Roles.Admin))
            .AddPolicy(Policies.Participant, p => p.RequireRole(Roles.Coordinator, Roles.Partner, Roles.Monitor))
            .AddPolicy(Policies.Monitor, p => p.RequireRole(Roles.Monitor))
            .AddPolicy(Policies.Operators, p => p.RequireRole(Roles.Admin, Roles.Secretariat))
            .AddPolicy(Policies.FeedReaders, p => p.RequireRole(Roles.Coordinator, Roles.Partner, Roles.Secretariat, Roles.Fro, Roles.Provider))
            .AddPolicy(Policies.CalendarSubscribers, p => p.RequireRole(Roles.Coordinator, Roles.Partner, Roles.Monitor, Roles.Secretariat))
            .AddPolicy(Policies.Provider, p => p.RequireRole(Roles.Provider).RequireClaim("provider"))
            .AddPolicy(Policies.CoordinatorOrProvider, p => p.RequireRole(Roles.Coordinator, Roles.Provider))
            .AddPolicy(Policies.LegalHolds, p => p.RequireRole(Roles.Coordinator, Roles.Court, Roles.Fro))
            .AddPolicy(Policies.OversightAndSecretariat, p => p.RequireRole(Roles.Secretariat, Roles.Fro, Roles.Admin));
        return services;
    }

    /// <summary>
    /// The keys a token may be signed with: the gateway's HS256 key for its own issuer, a configured issuer's JWKS key of
    /// the token's kid for RS256/ES256; none for anything else (an HS256 token naming a configured issuer included).
    /// </summary>
    private static IEnumerable<SecurityKey> SigningKeys(JsonWebToken? token, string? kid, TokenSettings settings, IssuerKeys keys) => token switch
    {
        { Issuer: TokenSettings.Issuer, Alg: SecurityAlgorithms.HmacSha256 } => [settings.Key],
        not null when keys.Find(token.Issuer) is not null && IssuerKeys.Algorithms.Contains(token.Alg) => keys.Resolve(token.Issuer, kid),
        _ => [],
    };

    /// <summary>Before validation, which asks for keys synchronously: a configured issuer's keys, read again for an unknown kid.</summary>
    private static async Task FetchIssuerKeysAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(header[scheme.Length..].Trim());
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            // Not a JWT ("x.y.z", garbage): the handler refuses it with 401; there are no keys to fetch.
            return;
        }
        var keys = context.HttpContext.RequestServices.GetRequiredService<IssuerKeys>();
        if (keys.Find(token.Issuer) is { } issuer)
        {
            await keys.EnsureAsync(issuer, token.Kid, context.HttpContext.RequestAborted);
        }
    }

    /// <summary>The token's form (<see cref="TokenForm"/>), the contract's claim rules for every token, and a configured issuer's own countries and roles.</summary>
    private static Task CheckClaims(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (((context.SecurityToken is JsonWebToken token ? TokenForm.Problem(token) : null)
            ?? TokenIssuer.ClaimsProblem(principal, TokenClock.Of(context.HttpContext.RequestServices).GetUtcNow())) is { } problem)
        {
            context.Fail(problem);
            return Task.CompletedTask;
        }
        var keys = context.HttpContext.RequestServices.GetRequiredService<IssuerKeys>();
        if (keys.Find(principal.FindFirst("iss")?.Value) is { } issuer
            && issuer.Refusal(principal.FindFirst("role")!.Value, principal.FindFirst("country")?.Value, principal.FindFirst("provider")?.Value) is { } refusal)
        {
            context.Fail(refusal);
        }
        return Task.CompletedTask;
    }
}
