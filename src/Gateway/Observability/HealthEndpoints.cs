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

/// <summary>Health probes and the Prometheus scrape (<see cref="MetricsEndpoint"/>): the only endpoints besides OpenAPI that answer without a token.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthAndMetrics(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").AllowAnonymous().WithTags("Health").DisableRateLimiting();
        health.MapGet("/live", Live).WithSummary("Liveness: the process answers")
            .WithDescription("No token, no rate limit. Answers 200 `live` whenever the process can answer, without asking the cluster or the database.");
        health.MapGet("/ready", ReadyAsync).WithSummary("Readiness: grains and storage answer")
            .WithDescription("No token, no rate limit. 200 `ready` when grains can be called and the database answers within two seconds; otherwise 503.")
            .ProducesProblems(StatusCodes.Status503ServiceUnavailable);
        app.MapMetrics(services => services.GetRequiredService<IOptions<GatewayOptions>>().Value.MetricsToken,
                context => context.RequestServices.GetRequiredService<GatewayMetrics>().RefreshAsync(context.RequestAborted),
                (_, status, detail) => throw new RequestProblemException(status, detail))
            .AllowAnonymous().WithTags("Health").DisableRateLimiting().WithSummary("Prometheus scrape")
            .WithDescription("For the scraper, not for users. With a metrics token configured, send it as a bearer token (401 otherwise, a user's " +
                "JWT included); without one, only loopback callers are answered (403 otherwise). Prometheus exposition format.")
            .TakesOptionalCredential(GatewayDocument.MetricsToken)
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
}
