using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ReturnOps.Gateway.Hosting;

namespace ReturnOps.Gateway.Auth.SignIn;

/// <summary>
/// The pages' sign-in, a backend-for-frontend: OpenID Connect's authorization code flow with PKCE at the member state's
/// provider (<see cref="SignInSettings"/>), and a session cookie (HttpOnly, SameSite=Lax, Secure over https) that carries the
/// person's claims. No token reaches the pages' scripts. The API's scheme is a policy: a request with an Authorization header
/// (a partner system, the typed client) is a bearer request exactly as before; one without it, the session cookie.
/// </summary>
public static class PageSession
{
    /// <summary>The scheme every endpoint authenticates with: it forwards to bearer or to the cookie.</summary>
    public const string Scheme = "returnops";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string CookieName = "returnops.session";
    public const string SignInPath = "/signin";
    public const string SessionPath = "/signin/session";
    public const string SignOutPath = "/signout";
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary>Where the session was first signed in (sliding renewal moves the cookie's own issue time).</summary>
    private const string SignedInItem = "returnops.signed-in";

    /// <summary>A <see cref="TimeProvider"/> registered under this key replaces the system clock for session expiry (tests).</summary>
    public const string ClockKey = "page-session-clock";

    public static AuthenticationBuilder AddPageSession(this AuthenticationBuilder authentication, SignInSettings settings, IReadOnlyList<TrustedIssuer> issuers,
        IConfiguration configuration)
    {
        var services = authentication.Services;
        services.AddSingleton(settings);
        authentication.AddPolicyScheme(Scheme, "Bearer token or session cookie", o => o.ForwardDefaultSelector = context =>
            settings.Enabled && !context.Request.Headers.ContainsKey("Authorization")
                && (context.Request.Cookies.ContainsKey(CookieName) || IsPageNavigation(context.Request))
                ? CookieScheme
                : JwtBearerDefaults.AuthenticationScheme);
        if (!settings.Enabled)
        {
            return authentication;
        }
        if (configuration["Auth:SignIn:KeysDirectory"] is { Length: > 0 } keys)
        {
            // Replicas behind one address must read each other's cookies: one key ring for all of them.
            services.AddDataProtection().SetApplicationName("returnops-gateway").PersistKeysToFileSystem(new DirectoryInfo(keys));
        }
        authentication.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            // Lax, not Strict: a link to the pages from a mail or another site must open them signed in.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(settings.IdleMinutes);
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            o.ReturnUrlParameter = "returnUrl";
            o.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = RedirectPagesOnly,
                OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
                OnValidatePrincipal = EndAfterWorkingDay,
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IServiceProvider>((o, sp) =>
            o.TimeProvider = sp.GetKeyedService<TimeProvider>(ClockKey) ?? TimeProvider.System);
        authentication.AddOpenIdConnect(OidcScheme, o =>
        {
            o.SignInScheme = CookieScheme;
            o.SignOutScheme = CookieScheme;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret.Length > 0 ? settings.ClientSecret : null;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // Query, not form_post: the provider's answer is then a top-level GET that carries SameSite=Lax cookies.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.Scope.Clear();
            o.Scope.Add(OpenIdConnectScope.OpenId);
            o.CallbackPath = CallbackPath;
            o.SignedOutCallbackPath = SignedOutCallbackPath;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            // The identity token is kept in the (encrypted) cookie only as the hint that ends the provider's session at sign-out.
            o.SaveTokens = true;
            o.TokenValidationParameters.NameClaimType = "sub";
            o.TokenValidationParameters.RoleClaimType = "role";
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = context => CheckClaims(context, settings, issuers),
                OnTicketReceived = context =>
                {
                    // Only the identity token is needed (the hint at sign-out); the access token would only grow the cookie.
                    var properties = context.Properties!;
                    properties.StoreTokens(properties.GetTokens().Where(t => t.Name == OpenIdConnectParameterNames.IdToken).ToList());
                    properties.Items[SignedInItem] = Clock(context.HttpContext).GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                },
                OnRemoteFailure = context =>
                {
                    // A refused or failed sign-in is told on the sign-in page, not as a raw error.
                    context.Response.Redirect("/?signin-failed=" + Uri.EscapeDataString(context.Failure?.Message ?? "The sign-in failed."));
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
            if (!settings.UsesDemoIdentityProvider)
            {
                o.Authority = settings.Authority;
            }
        });
        if (settings.UsesDemoIdentityProvider)
        {
            services.AddDemoIdentityProvider();
            // The demo provider is this process: its address is known once the server listens, before the first sign-in.
            services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IServer>((o, server) =>
            {
                o.Authority = OwnOrigin(server);
                o.RequireHttpsMetadata = false;
            });
        }
        return authentication;
    }

    public static IEndpointRouteBuilder MapPageSession(this IEndpointRouteBuilder app)
    {
        var settings = app.ServiceProvider.GetRequiredService<SignInSettings>();
        app.MapGet(SessionPath, Session).AllowAnonymous().ExcludeFromDescription();
        if (!settings.Enabled)
        {
            return app;
        }
        app.MapGet(SignInPath, (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = IsLocal(returnUrl) ? returnUrl : "/" }, [OidcScheme]))
            .AllowAnonymous().ExcludeFromDescription();
        // A form post from the pages (top-level, so that the provider's session can end too). It needs no antiforgery
        // header: SameSite=Lax keeps the cookie off another site's post, so a forged one finds no session to end.
        app.MapPost(SignOutPath, () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieScheme, OidcScheme]))
            .AllowAnonymous().ExcludeFromDescription();
        if (settings.UsesDemoIdentityProvider)
        {
            app.MapDemoIdentityProvider();
        }
        return app;
    }

    /// <summary>Who the pages are signed in as, if anyone, and whether they can sign in here: the pages read no token.</summary>
    private static IResult Session(HttpContext http, SignInSettings settings)
    {
        var user = http.User;
        var person = user.Identity?.IsAuthenticated == true
            ? new SessionPerson(user.FindFirst("sub")?.Value ?? "", user.FindFirst("role")?.Value ?? "", user.FindFirst("country")?.Value,
                user.FindFirst("provider")?.Value)
            : null;
        return Results.Ok(new SessionState(settings.Enabled, person));
    }

    private sealed record SessionPerson(string Subject, string Role, string? Country, string? Provider);

    private sealed record SessionState(bool SignInAvailable, SessionPerson? Person);

    /// <summary>The same claim rules as a bearer token's, and a member state's provider only within its countries and roles.</summary>
    private static Task CheckClaims(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context, SignInSettings settings, IReadOnlyList<TrustedIssuer> issuers)
    {
        var principal = context.Principal!;
        if (TokenIssuer.ClaimsProblem(principal, TimeProvider.System.GetUtcNow()) is { } problem)
        {
            context.Fail(problem);
            return Task.CompletedTask;
        }
        if (settings.UsesDemoIdentityProvider)
        {
            return Task.CompletedTask;
        }
        var issuer = SignInSettings.IssuerOf(principal.FindFirst("iss")?.Value, issuers);
        var refusal = issuer is null
            ? "The identity provider is not among Auth:Issuers."
            : issuer.Refusal(principal.FindFirst("role")!.Value, principal.FindFirst("country")?.Value, principal.FindFirst("provider")?.Value);
        if (refusal is not null)
        {
            context.Fail(refusal);
        }
        return Task.CompletedTask;
    }

    /// <summary>An API call (or the dashboard's own reads) without a live session is a 401; a page opened in the browser goes to sign-in.</summary>
    private static Task RedirectPagesOnly(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsPageNavigation(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// However often it renews, a session lasts at most as long as a token may (<see cref="TokenIssuer.MaxLifetime"/>): after a
    /// working day the person signs in again.
    /// </summary>
    private static async Task EndAfterWorkingDay(CookieValidatePrincipalContext context)
    {
        var now = Clock(context.HttpContext).GetUtcNow();
        if (!context.Properties.Items.TryGetValue(SignedInItem, out var signedIn)
            || !DateTimeOffset.TryParse(signedIn, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            || now - at > TokenIssuer.MaxLifetime)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    private static TimeProvider Clock(HttpContext http) => http.RequestServices.GetKeyedService<TimeProvider>(ClockKey) ?? TimeProvider.System;

    /// <summary>A browser opening a page (not a script's fetch, not the API).</summary>
    private static bool IsPageNavigation(HttpRequest request) =>
        !request.Path.StartsWithSegments(ApiConventions.BasePath)
        && (request.Headers["Sec-Fetch-Mode"] == "navigate" || request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal));

    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    /// <summary>This gateway's own origin as it listens (an http address first: the demo runs without certificates).</summary>
    private static string OwnOrigin(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The demo identity provider needs the gateway to listen on an address.");
        foreach (var wildcard in new[] { "//[::]", "//0.0.0.0", "//+", "//*" })
        {
            address = address.Replace(wildcard, "//localhost", StringComparison.Ordinal);
        }
        return address.TrimEnd('/') + "/";
    }
}
