using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace ReturnOps.Gateway.Auth;

/// <summary>JWT bearer authentication and the role policies; every endpoint needs a token unless marked anonymous.</summary>
public static class AuthSetup
{
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services, TokenSettings settings)
    {
        services.AddSingleton(settings);
        // Real time, not the domain's clock: the JWT handler checks a token's lifetime against the system clock.
        services.AddSingleton(new TokenIssuer(settings, TimeProvider.System));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = TokenIssuer.ValidationParameters(settings);
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (TokenIssuer.ClaimsProblem(context.Principal!, TimeProvider.System.GetUtcNow()) is { } problem)
                    {
                        context.Fail(problem);
                    }
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Coordinator, p => p.RequireRole(Roles.Coordinator).RequireClaim("country"))
            .AddPolicy(Policies.Partner, p => p.RequireRole(Roles.Partner).RequireClaim("country"))
            .AddPolicy(Policies.CountryActor, p => p.RequireRole(Roles.Coordinator, Roles.Partner).RequireClaim("country"))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Secretariat, p => p.RequireRole(Roles.Secretariat))
            .AddPolicy(Policies.Oversight, p => p.RequireRole(Roles.Fro, Roles.Admin))
            .AddPolicy(Policies.Staffing, p => p.RequireRole(Roles.Secretariat, Roles.Coordinator))
            .AddPolicy(Policies.Participant, p => p.RequireRole(Roles.Coordinator, Roles.Partner, Roles.Monitor))
            .AddPolicy(Policies.Monitor, p => p.RequireRole(Roles.Monitor))
            .AddPolicy(Policies.Operators, p => p.RequireRole(Roles.Admin, Roles.Secretariat))
            .AddPolicy(Policies.FeedReaders, p => p.RequireRole(Roles.Coordinator, Roles.Partner, Roles.Secretariat, Roles.Fro))
            .AddPolicy(Policies.OversightAndSecretariat, p => p.RequireRole(Roles.Secretariat, Roles.Fro, Roles.Admin));
        return services;
    }
}
