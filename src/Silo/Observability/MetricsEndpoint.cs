using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ReturnOps.Silo.Observability;

/// <summary>
/// <c>/metrics</c> of a gateway or silo: OpenTelemetry's Prometheus exporter behind one access rule. It names routes and
/// volumes, so it is not for everyone: with a metrics token set, a scraper sends it as a bearer token (401 otherwise, a
/// user's JWT included); unset, only loopback callers are answered (403 otherwise).
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>
    /// Maps <c>GET /metrics</c>; <paramref name="token"/> reads the metrics token per request (options may change),
    /// <paramref name="refresh"/> reads the database-backed gauges before the exporter collects, <paramref name="refuse"/>
    /// answers a refused scrape (default: a plain problem; a gateway throws to its own problem mapper). A route of its
    /// own rather than the exporter's branch, so that the scrape is a GET in the OpenAPI document like every route.
    /// </summary>
    public static RouteHandlerBuilder MapMetrics(this IEndpointRouteBuilder app, Func<IServiceProvider, string?> token,
        Func<HttpContext, Task> refresh, Func<HttpContext, int, string, Task>? refuse = null)
    {
        // The exporter's middleware on a pipeline of its own, built at the first scrape (it takes the started MeterProvider).
        var builder = app.CreateApplicationBuilder();
        var scrape = new Lazy<RequestDelegate>(() => builder.UseOpenTelemetryPrometheusScrapingEndpoint(_ => true).Build());
        // A route handler (Delegate), not a RequestDelegate: only those are described in the OpenAPI document.
        Func<HttpContext, Task> handler = async context =>
        {
            if (Refusal(context, token(context.RequestServices)) is { } refused)
            {
                await (refuse ?? Problem)(context, refused.Status, refused.Detail);
                return;
            }
            await refresh(context);
            await scrape.Value(context);
        };
        // Named: a lambda's compiler-made method name would be its operationId ("<>c__DisplayClass0_0...").
        return app.MapGet("/metrics", handler).WithName("metricsScrape").Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    private static Task Problem(HttpContext context, int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status).ExecuteAsync(context);

    /// <summary>Why a scrape is refused (status and detail), or null when it is answered.</summary>
    public static (int Status, string Detail)? Refusal(HttpContext context, string? metricsToken)
    {
        if (!string.IsNullOrEmpty(metricsToken))
        {
            var sent = context.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            var presented = sent.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? sent[scheme.Length..].Trim() : "";
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(metricsToken)))
                ? null
                : (StatusCodes.Status401Unauthorized, "The metrics token is missing or wrong.");
        }
        return context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
            ? null
            : (StatusCodes.Status403Forbidden, "Metrics are served to loopback callers only unless a metrics token is set.");
    }
}
