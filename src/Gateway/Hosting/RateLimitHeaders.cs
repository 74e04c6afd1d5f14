using System.Globalization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// The quota a caller has, on every answer of a rate-limited endpoint, as the IETF httpapi draft's fields
/// (draft-ietf-httpapi-ratelimit-headers): <c>RateLimit-Policy: "caller";q=300;w=10</c> (the permits of a window and its seconds,
/// Gateway:RateLimitPermits and RateLimitWindowSeconds) and <c>RateLimit: "caller";r=299</c> (the permits left in this window).
/// No <c>t</c>: the fixed-window limiter does not tell when its window started, and a guessed reset time would mislead; a 429 says
/// when to retry in <c>Retry-After</c>. Written as the answer starts, so that an error answer, written after the pipeline cleared
/// the response, carries them too.
/// </summary>
public static class RateLimitHeaders
{
    public const string Current = "RateLimit";
    public const string Policy = "RateLimit-Policy";

    /// <summary>The one policy: permits per caller (<see cref="GatewayApp"/>'s partition key).</summary>
    private const string PolicyName = "\"caller\"";

    /// <summary>After <c>UseRateLimiter</c>: only requests the limiter let through get here; a refusal writes its own (<see cref="Write"/>).</summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
        var gateway = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
        return app.Use(async (context, next) =>
        {
            if (limiter is not null && context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null)
            {
                context.Response.OnStarting(() =>
                {
                    Write(context.Response, gateway, limiter.GetStatistics(context)?.CurrentAvailablePermits ?? 0);
                    return Task.CompletedTask;
                });
            }
            await next(context);
        });
    }

    /// <summary>Both fields, with <paramref name="remaining"/> permits left in the caller's window.</summary>
    public static void Write(HttpResponse response, GatewayOptions gateway, long remaining)
    {
        response.Headers[Policy] = string.Create(CultureInfo.InvariantCulture, $"{PolicyName};q={gateway.RateLimitPermits};w={gateway.RateLimitWindowSeconds}");
        response.Headers[Current] = string.Create(CultureInfo.InvariantCulture, $"{PolicyName};r={Math.Max(0, remaining)}");
    }
}
