using ReturnOps.Silo.Observability;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Hosting;

/// <summary>
/// A silo replica of the cluster: grains, its share of Orleans' reminders (deadlines, readmission clocks, retention)
/// and the outbox dispatcher, with a small web host answering only <c>/health/live</c>, <c>/health/ready</c> and
/// <c>/metrics</c> (<see cref="MetricsEndpoint"/>), so that Kubernetes probes and a Prometheus scrape reach it like a gateway.
/// </summary>
public static class SiloWorker
{
    /// <summary>Builds the silo; <paramref name="configure"/> lets tests replace settings and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(builder);
        // Quiet by default; `Logging__LogLevel__Npgsql=Information` (or a more specific category) brings the SQL back.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        if (!StorageSettings.From(builder.Configuration).IsPostgres || !ClusterSettings.From(builder.Configuration).IsAdoNet)
        {
            throw new InvalidOperationException(
                "A silo replica joins the cluster in PostgreSQL: set Storage:Provider=Postgres, Storage:ConnectionString and Cluster:Membership=AdoNet " +
                "(env Storage__Provider, Storage__ConnectionString, Cluster__Membership). One process on SQLite is the gateway alone: dotnet run --project src/Gateway.");
        }
        // Its own migrations only: the gateway's tables (idempotency keys, audit log) are created by the gateway.
        builder.AddReturnOpsSilo();
        builder.Services.AddSingleton<SiloMetrics>();
        builder.AddReturnOpsTelemetry("returnops-silo", SiloMetrics.MeterName);

        var app = builder.Build();
        app.MapGet("/health/live", () => TypedResults.Ok(new WorkerHealth("live")));
        app.MapGet("/health/ready", ReadyAsync);
        // Same rule as a gateway's: Silo:MetricsToken, else loopback only.
        app.MapMetrics(services => services.GetRequiredService<SiloOptions>().MetricsToken,
            context => context.RequestServices.GetRequiredService<SiloMetrics>().RefreshAsync(context.RequestAborted));
        return app;
    }

    /// <summary>Ready when this silo is an active member of the cluster and the database answers.</summary>
    private static async Task<IResult> ReadyAsync(IStorageProvider storage, ILocalSiloDetails silo, IClusterMembershipService membership,
        CancellationToken cancellationToken)
    {
        if (membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) != SiloStatus.Active)
        {
            return TypedResults.Problem("This silo has not joined the cluster (or is leaving it).", statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not a cluster member");
        }
        try
        {
            await StorageProbe.PingAsync(storage, cancellationToken);
            return TypedResults.Ok(new WorkerHealth("ready"));
        }
        catch (StorageUnavailableException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
        }
    }
}

/// <summary>The body of a health probe's answer.</summary>
public sealed record WorkerHealth(string Status);
