using ReturnOps.Grains.Hosting;

namespace ReturnOps.Gateway.Observability;

/// <summary>Counts every request and its latency by route template (never the raw path: ids would explode the series).</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, GatewayMetrics metrics, [FromKeyedServices(DomainClock.Key)] TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = clock.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.RecordRequest(route, context.Request.Method, context.Response.StatusCode, clock.GetElapsedTime(started).TotalSeconds);
        }
    }
}
