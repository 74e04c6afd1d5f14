using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReturnOps.Gateway.Audit;
using ReturnOps.Gateway.Auth;
using ReturnOps.Gateway.Auth.SignIn;
using ReturnOps.Gateway.Calendars;
using ReturnOps.Gateway.Complaints;
using ReturnOps.Gateway.Events;
using ReturnOps.Gateway.Idempotency;
using ReturnOps.Gateway.Notifications;
using ReturnOps.Gateway.Observability;
using ReturnOps.Gateway.Pages;
using ReturnOps.Gateway.Problems;
using ReturnOps.Grains.Hosting;
using ReturnOps.Silo.Observability;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Hosting;

/// <summary>Composes the gateway: a co-hosted silo or a cluster client, the HTTP pipeline and every resource of api.md.</summary>
public static class GatewayApp
{
    /// <summary>Builds the application; <paramref name="configure"/> lets tests replace settings and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = PublishedContentRoot(),
            EnvironmentName = WritingDocumentAtBuild ? Environments.Development : null,
        });
        configure?.Invoke(builder);
        var services = builder.Services;
        var tokens = TokenSettings.From(builder.Configuration, builder.Environment.IsDevelopment());
        services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();

        builder.AddGrainAccess(gateway);
        // After Orleans' hosted service: hosted services start in order, and this one calls grains.
        services.AddHostedService<GatewayStartup>();
        services.AddHostedService<IdempotencyRetention>();
        services.AddHostedService<AuditSealing>();
        services.AddSingleton<GatewayDatabase>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<CalendarFeeds>();
        services.Configure<ComplaintLimits>(builder.Configuration.GetSection(ComplaintLimits.Section));
        var complaints = builder.Configuration.GetSection(ComplaintLimits.Section).Get<ComplaintLimits>() ?? new ComplaintLimits();
        services.AddSingleton<ComplaintStore>();
        services.AddHostedService<ComplaintRetention>();
        services.TryAddKeyedSingleton(IdempotencyLeases.ClockKey, TimeProvider.System);
        services.AddSingleton<IdempotencyLeases>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyLeases>());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<NotificationFeed>();
        services.AddSingleton<GatewayMetrics>();
        builder.AddReturnOpsTelemetry("returnops-gateway", GatewayMetrics.MeterName);
        services.AddSingleton<StreamLeases>();

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = gateway.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        services.ConfigureHttpJsonOptions(o => GatewayJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        var issuers = TrustedIssuer.From(builder.Configuration);
        services.AddGatewayAuth(tokens, issuers, SignInSettings.From(builder.Configuration, builder.Environment.IsDevelopment(), issuers), builder.Configuration);
        services.AddRateLimiter(o =>
        {
            // Every caller's permits, and the public complaint form's own limits on top (per address and for everyone).
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = gateway.RateLimitPermits,
                        Window = TimeSpan.FromSeconds(gateway.RateLimitWindowSeconds),
                        QueueLimit = 0,
                    })),
                complaints.Limiter());
            o.OnRejected = (context, _) =>
            {
                RateLimitHeaders.Write(context.HttpContext.Response, gateway, 0);
                return new ValueTask(ProblemWriter.WriteAsync(context.HttpContext, ProblemMapper.ForStatus(StatusCodes.Status429TooManyRequests)));
            };
        });
        services.AddGatewayOpenApi();

        if (WritingDocumentAtBuild)
        {
            // The document tool starts the app (a no-op server in place of Kestrel) so that Program maps the endpoints. Nothing
            // else may start: no silo on loopback ports, no database file, no demo data.
            foreach (var started in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name != "GenericWebHostService").ToList())
            {
                services.Remove(started);
            }
        }
        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseWebPages();
        app.Use(AuditRecorder.RecordDenialsAsync);
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages(context => ProblemWriter.WriteAsync(context.HttpContext, ProblemMapper.ForStatus(context.HttpContext.Response.StatusCode)));
        app.UseRouting();
        app.UseAuthentication();
        app.UseSessionAntiforgery();
        app.UseRateLimiter();
        app.UseRateLimitHeaders();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi().AllowAnonymous().DisableRateLimiting();
        app.MapApiReference();
        app.MapClusterDashboard();
        app.MapHealthAndMetrics();
        app.MapGatewayApi();
        app.MapWebPages();
        app.MapPageSession();
        return app;
    }

    /// <summary>
    /// The build writes the served OpenAPI document for src/Client: Microsoft.Extensions.ApiDescription.Server runs this entry
    /// point inside its GetDocument.Insider host, which starts the web host on a no-op server. It cannot pass an environment,
    /// and outside Development the app refuses to build without a signing key, so that run is Development: its document is
    /// the one served.
    /// </summary>
    private static bool WritingDocumentAtBuild =>
        string.Equals(System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name, "GetDocument.Insider", StringComparison.Ordinal);

    /// <summary>
    /// A published build (<c>dotnet publish -o</c>) carries its pages and settings beside the assembly, and is started from
    /// anywhere: its folder is the content root, not the working directory (which served no pages and read no
    /// appsettings.json). A build output has no wwwroot (Development serves the pages from the project through the static
    /// web assets manifest): it keeps the default, as does an explicit <c>ASPNETCORE_CONTENTROOT</c> or <c>--contentRoot</c>.
    /// </summary>
    private static string? PublishedContentRoot()
    {
        var published = AppContext.BaseDirectory;
        var explicitRoot = Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
            || Environment.GetCommandLineArgs().Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase));
        return !explicitRoot && Directory.Exists(Path.Combine(published, "wwwroot")) ? published : null;
    }

    /// <summary>
    /// Rate limits are per caller: the token's whole identity (the key idempotent answers are kept under), so a subject of one
    /// country does not spend another's permits; the client address before authentication.
    /// </summary>
    private static string PartitionKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? "caller:" + context.User.IdentityKey() : "ip:" + context.Connection.RemoteIpAddress;

    /// <summary>Listens for other processes' operation changes and seeds demo data, after the silo (or the cluster client) started.</summary>
    private sealed class GatewayStartup(IGrainFactory grains, IStorageProvider storage, OperationChanges changes, IOptions<GatewayOptions> options,
        [FromKeyedServices(DomainClock.Key)] TimeProvider clock, IHostApplicationLifetime lifetime) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await changes.ListenAsync(storage.ChangeFeed, OperationChanges.OperationGrainType, lifetime.ApplicationStopping);
            await DemoData.SeedAsync(grains, clock, options.Value.SeedDemoData, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
