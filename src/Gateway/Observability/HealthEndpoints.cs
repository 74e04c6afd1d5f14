using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Gateway.Problems;
using ReturnOps.Silo.Hosting;
using ReturnOps.Silo.Observability;
using ReturnOps.Storage;
using ReturnOps.Gateway.Hosting.OpenApi;

namespace ReturnOps.Gateway.Observability;

public sealed record HealthStatus(string Status);

/// <summary>Health probes and the Prometheus scrape: the only endpoints besides OpenAPI that answer without a token.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthAndMetrics(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").AllowAnonymous().WithTags("Health").DisableRateLimiting();
        health.MapGet("/live", Live).WithSummary("Liveness: the process answers");
        health.MapGet("/ready", ReadyAsync).WithSummary("Readiness: grains and storage answer").ProducesProblems(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/metrics", MetricsAsync).AllowAnonymous().WithTags("Health").DisableRateLimiting().WithSummary("Prometheus scrape")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").TakesOptionalCredential(GatewayDocument.MetricsToken)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static Ok<HealthStatus> Live() => TypedResults.Ok(new HealthStatus("live"));

    /// <summary>
    /// Ready when grains can be called (the co-hosted silo is an active member, or the cluster client reaches a silo) and
    /// the database answers within two seconds; else the problem mapper's 503.
    /// </summary>
    private static async Task<Ok<HealthStatus>> ReadyAsync(IClusterReadiness cluster, IStorageProvider storage, CancellationToken cancellationToken)
    {
        await cluster.EnsureReadyAsync(cancellationToken);
        await StorageProbe.PingAsync(storage, cancellationToken);
        return TypedResults.Ok(new HealthStatus("ready"));
    }

    private static async Task MetricsAsync(HttpContext context, GatewayMetrics metrics, PrometheusText prometheus, IOptions<GatewayOptions> options)
    {
        EnsureScraper(context, options.Value.MetricsToken);
        await metrics.RefreshAsync(context.RequestAborted);
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(prometheus.Render(), context.RequestAborted);
    }

    /// <summary>
    /// <c>/metrics</c> names routes and volumes, so it is not for everyone: with <c>Gateway:MetricsToken</c> set, a scraper sends
    /// it as a bearer token (401 otherwise); unset, only loopback callers are answered (403 otherwise).
    /// </summary>
    internal static void EnsureScraper(HttpContext context, string? metricsToken)
    {
        if (!string.IsNullOrEmpty(metricsToken))
        {
            var sent = context.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            var presented = sent.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? sent[scheme.Length..].Trim() : "";
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(metricsToken))))
            {
                throw new RequestProblemException(StatusCodes.Status401Unauthorized, "The metrics token is missing or wrong.");
            }
            return;
        }
        if (context.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address))
        {
            throw new RequestProblemException(StatusCodes.Status403Forbidden, "Metrics are served to loopback callers only unless Gateway:MetricsToken is set.");
        }
    }
}
