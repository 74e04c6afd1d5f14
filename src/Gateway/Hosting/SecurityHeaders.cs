using ReturnOps.Gateway.Auth.SignIn;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// Headers every answer carries, pages and API alike: the pages load script, style and data from this origin only (no
/// inline script or style, no framing), browsers do not guess content types, and no URL leaks to another site; API answers
/// are never stored by a cache.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>
    /// The API reference's page (<see cref="ApiReference"/>) only: its inline start-up script by this answer's nonce, and
    /// the styles its components inject. Everything else stays as strict as <see cref="ContentSecurityPolicy"/>.
    /// </summary>
    public static string ApiReferencePolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>
    /// Sign-out is a form post that the gateway redirects on to the member state's identity provider, and browsers hold a
    /// redirect after a post to form-action: that provider's origin, and only it, is added.
    /// </summary>
    public static string PagesPolicy(SignInSettings signIn) =>
        signIn.Authority.Length > 0 && Uri.TryCreate(signIn.Authority, UriKind.Absolute, out var authority)
            ? ContentSecurityPolicy.Replace("form-action 'self'", "form-action 'self' " + authority.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            : ContentSecurityPolicy;

    /// <summary>Set when the answer starts, so that an error answer written after clearing the response keeps them.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var pages = PagesPolicy(app.Services.GetRequiredService<SignInSettings>());
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReference.Path) && ApiReference.Nonce(context) is { } nonce
                    ? ApiReferencePolicy(nonce)
                    : pages;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                if (context.Request.Path.StartsWithSegments(ApiConventions.BasePath))
                {
                    // API answers are one caller's view, personal data among them: no browser or proxy keeps a copy.
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
