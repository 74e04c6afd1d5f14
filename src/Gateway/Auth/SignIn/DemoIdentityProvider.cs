using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ReturnOps.Gateway.Auth.SignIn;

/// <summary>
/// An OpenID Connect provider served in the gateway's own process for the demo (Development, or <c>Auth:SignIn:Demo</c>):
/// OpenIddict's server, authorization code flow with PKCE required, whose login page offers <see cref="DemoIdentities"/>.
/// It runs in OpenIddict's degraded mode: no database of clients, codes or sessions. Its one client, the gateway's pages, is
/// checked by the handlers below; its signing keys are ephemeral (a restart ends nothing but sign-ins under way); a code is
/// not remembered as used, so within its lifetime it could be redeemed twice. Acceptable for a demo, never for production.
/// </summary>
public static class DemoIdentityProvider
{
    public const string ClientId = "returnops-pages";
    public const string AuthorizePath = "/demo-idp/authorize";
    public const string TokenPath = "/demo-idp/token";
    public const string EndSessionPath = "/demo-idp/end-session";

    /// <summary>The identity chosen on the login page, added to the authorization request's own parameters.</summary>
    public const string IdentityParameter = "identity";

    public static IServiceCollection AddDemoIdentityProvider(this IServiceCollection services)
    {
        services.AddOpenIddict().AddServer(o =>
        {
            // OpenIddict wants endpoint paths relative to the issuer, which is the gateway's root.
            o.SetAuthorizationEndpointUris(AuthorizePath[1..]).SetTokenEndpointUris(TokenPath[1..]).SetEndSessionEndpointUris(EndSessionPath[1..]);
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.OpenId);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.EnableDegradedMode();
            o.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(ValidateAuthorization));
            o.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(ValidateToken));
            o.AddEventHandler<ValidateEndSessionRequestContext>(b => b.UseInlineHandler(ValidateEndSession));
            // The demo runs on plain http on a developer's machine.
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableEndSessionEndpointPassthrough().DisableTransportSecurityRequirement();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapDemoIdentityProvider(this IEndpointRouteBuilder app)
    {
        app.MapMethods(AuthorizePath, [HttpMethods.Get], Authorize).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods(EndSessionPath, [HttpMethods.Get], EndSession).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The login page, or, once an identity is chosen, the code for it (OpenIddict answers the redirect).</summary>
    private static IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict passes only validated authorization requests through.");
        if (DemoIdentities.Find(http.Request.Query[IdentityParameter]) is not { } chosen)
        {
            return Results.Content(LoginPage(http.Request.Query), "text/html; charset=utf-8");
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Subject, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, chosen.Subject));
        identity.AddClaim(new Claim(Claims.Role, chosen.Role));
        if (chosen.Country is { } country)
        {
            identity.AddClaim(new Claim("country", country));
        }
        if (chosen.Provider is { } provider)
        {
            identity.AddClaim(new Claim("provider", provider));
        }
        // The gateway reads the person from the identity token: every claim goes there.
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The demo keeps no session of its own: ending it is only the way back to the gateway.</summary>
    private static IResult EndSession() =>
        Results.SignOut(new Microsoft.AspNetCore.Authentication.AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>Degraded mode checks no client: only the gateway's pages, returning to this very origin's callback.</summary>
    private static ValueTask ValidateAuthorization(ValidateAuthorizationRequestContext context)
    {
        if (context.ClientId != ClientId)
        {
            context.Reject(Errors.InvalidClient, "Only the gateway's pages sign in here.");
        }
        else if (!ReturnsHere(context.RedirectUri, context.BaseUri, PageSession.CallbackPath))
        {
            context.Reject(Errors.InvalidRequest, "The redirect_uri must be the gateway's own sign-in callback.");
        }
        return ValueTask.CompletedTask;
    }

    private static ValueTask ValidateToken(ValidateTokenRequestContext context)
    {
        if (context.ClientId != ClientId)
        {
            context.Reject(Errors.InvalidClient, "Only the gateway's pages redeem codes here.");
        }
        return ValueTask.CompletedTask;
    }

    private static ValueTask ValidateEndSession(ValidateEndSessionRequestContext context)
    {
        if (context.PostLogoutRedirectUri is { } target && !ReturnsHere(target, context.BaseUri, PageSession.SignedOutCallbackPath))
        {
            context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri must be the gateway's own signed-out callback.");
        }
        return ValueTask.CompletedTask;
    }

    private static bool ReturnsHere(string? target, Uri? origin, string path) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri) && origin is not null
        && Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && uri.AbsolutePath == path && uri.Query.Length == 0;

    /// <summary>One link per identity: the same authorization request with the identity added. Styled by the pages' sheet, no script.</summary>
    private static string LoginPage(IQueryCollection query)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Demo identity provider — ReturnOps</title><link rel=\"stylesheet\" href=\"/styles.css\"></head><body>")
            .Append("<main id=\"main\"><h1>Demo identity provider</h1>")
            .Append("<p class=\"warning\">Development only: choose who to sign in as. A member state's own identity provider takes this place in production.</p>")
            .Append("<nav class=\"card identities\" aria-label=\"Demo identities\"><ul>");
        var kept = query.Where(p => p.Key != IdentityParameter).SelectMany(p => p.Value.Select(v => (p.Key, Value: v ?? ""))).ToList();
        foreach (var identity in DemoIdentities.All)
        {
            var target = QueryString.Create([.. kept.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)), new(IdentityParameter, identity.Id)]);
            html.Append("<li><a class=\"button secondary\" href=\"").Append(WebUtility.HtmlEncode(AuthorizePath + target.ToUriComponent())).Append("\">")
                .Append(WebUtility.HtmlEncode(identity.Label)).Append("</a></li>");
        }
        return html.Append("</ul></nav></main></body></html>").ToString();
    }
}
