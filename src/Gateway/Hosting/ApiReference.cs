using Scalar.AspNetCore;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// The browsable reference of <c>/openapi/v1.json</c> for integrators, at <c>/scalar</c> (Scalar.AspNetCore), linked from
/// the sign-in page. Everything it loads is served from here (its bundle is in the package): no fonts, telemetry or AI chat
/// from Scalar's servers. Its page starts with an inline module script, allowed by a nonce fresh per request, and its
/// components inject their styles: <see cref="SecurityHeaders"/> relaxes the policy for this path only.
/// </summary>
public static class ApiReference
{
    public const string Path = "/scalar";

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Path, o => o
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .WithTitle("ReturnOps API reference")
                .WithNonce()
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent())
            .AllowAnonymous()
            .DisableRateLimiting();
        return app;
    }

    /// <summary>The nonce Scalar put on this answer's scripts, if the answer is its page.</summary>
    public static string? Nonce(HttpContext context) =>
        context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var nonce) ? nonce as string : null;
}
