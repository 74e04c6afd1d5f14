using ReturnOps.Gateway.Problems;

namespace ReturnOps.Gateway.Auth.SignIn;

/// <summary>
/// A change made with the session cookie must carry <see cref="Header"/>. A browser sends a cookie with any request to its
/// site, a forged one included; it lets a script set a custom header only on a request to the script's own origin (another
/// site's would need a CORS preflight, which the gateway never grants), and a form cannot set one at all. Bearer requests
/// are not affected: a header token is never sent by the browser on its own.
/// </summary>
public static class SessionAntiforgery
{
    public const string Header = "X-ReturnOps-Request";

    /// <summary>After authentication (it asks whether the cookie signed the caller in), before authorization and the endpoints.</summary>
    public static WebApplication UseSessionAntiforgery(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
                && context.User.Identity?.IsAuthenticated == true
                && !request.Headers.ContainsKey("Authorization")
                && request.Cookies.ContainsKey(PageSession.CookieName)
                && !request.Headers.ContainsKey(Header)
                && !request.Path.Equals(PageSession.SignOutPath, StringComparison.Ordinal))
            {
                await ProblemWriter.WriteAsync(context, ProblemMapper.ForStatus(StatusCodes.Status403Forbidden,
                    $"A change made with the sign-in cookie needs the {Header} header (antiforgery); nothing was changed."));
                return;
            }
            await next(context);
        });
        return app;
    }
}
