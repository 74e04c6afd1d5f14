using ReturnOps.Runtime;
using ReturnOps.Silo.Observability;

namespace ReturnOps.Silo.Hosting;

/// <summary>
/// A worker replica: the silo without the HTTP API. It fires reminders (deadlines, readmission clocks, retention)
/// and dispatches the outbox, and answers only <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c> on a
/// small web host, so that Kubernetes probes and a Prometheus scrape reach it like a gateway.
/// </summary>
public static class SiloWorker
{
    /// <summary>Builds the worker; <paramref name="configure"/> lets tests replace settings and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(builder);
        // Quiet by default; `Logging__LogLevel__Npgsql=Information` (or a more specific category) brings the SQL back.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        if (!StorageSettings.From(builder.Configuration).IsPostgres)
        {
            // On SQLite, replicas cannot learn of each other's writes: a worker would serve stale grains forever.
            throw new InvalidOperationException(
                "A worker replica shares PostgreSQL with the gateways: set Storage:Provider=Postgres and Storage:ConnectionString " +
                "(env Storage__Provider, Storage__ConnectionString). One process on SQLite is the gateway alone: dotnet run --project src/Gateway.");
        }
        // Its own migrations only: the gateway's tables (idempotency keys, audit log) are created by the gateway.
        builder.Services.AddReturnOpsSilo(builder.Configuration);
        builder.Services.AddSingleton<SiloMetrics>();
        builder.Services.AddSingleton<PrometheusText>();

        var app = builder.Build();
        app.MapGet("/health/live", () => TypedResults.Ok(new WorkerHealth("live")));
        app.MapGet("/health/ready", ReadyAsync);
        app.MapGet("/metrics", MetricsAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(GrainRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            await StorageProbe.PingAsync(runtime, cancellationToken);
            return TypedResults.Ok(new WorkerHealth("ready"));
        }
        catch (StorageUnavailableException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
        }
    }

    private static async Task MetricsAsync(HttpContext context, SiloMetrics metrics, PrometheusText prometheus)
    {
        await metrics.RefreshAsync(context.RequestAborted);
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(prometheus.Render(), context.RequestAborted);
    }
}

/// <summary>The body of a health probe's answer.</summary>
public sealed record WorkerHealth(string Status);
