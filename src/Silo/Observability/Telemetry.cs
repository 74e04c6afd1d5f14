using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReturnOps.Silo.Observability;

/// <summary>
/// Metrics and traces of a gateway or silo through OpenTelemetry: our meters, Orleans' (<c>Microsoft.Orleans</c>),
/// ASP.NET Core's and Npgsql's; traces of HTTP requests, grain calls (Orleans' activity propagation, see
/// <see cref="Hosting.SiloHosting"/>) and SQL. Prometheus reads them at <c>/metrics</c> (<see cref="MetricsEndpoint"/>);
/// OTLP export is on when <c>Telemetry:OtlpEndpoint</c> is set.
/// </summary>
public static class Telemetry
{
    public const string Section = "Telemetry";

    /// <summary>Orleans' meter, and the prefix of its activity sources (<c>Microsoft.Orleans.Runtime</c>, <c>.Application</c>).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Adds OpenTelemetry with <paramref name="meters"/> (ours) beside the instrumentation every process has.</summary>
    public static IHostApplicationBuilder AddReturnOpsTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] meters)
    {
        var settings = builder.Configuration.GetSection(Section).Get<TelemetrySettings>() ?? new TelemetrySettings();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. meters, OrleansMeter])
                    .AddAspNetCoreInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddPrometheusExporter(ConfigurePrometheus);
                if (metrics is IDeferredMeterProviderBuilder deferred)
                {
                    deferred.Configure((services, b) => b.AddView(OnlyThisHost(services.GetRequiredService<IMeterFactory>())));
                }
                if (settings.OtlpUri is { } endpoint)
                {
                    metrics.AddOtlpExporter(o => Configure(o, endpoint, settings, "v1/metrics"));
                }
            })
            .WithTracing(tracing =>
            {
                // Recording a span for every request, grain call and statement is work on the hot path even with nowhere to send it.
                // A caller that asks for a trace (a sampled W3C traceparent) always gets one; traces the platform starts itself
                // are recorded at TraceSampleRatio when a collector is set, and not at all when none is.
                tracing.SetSampler(new ParentBasedSampler(settings.OtlpUri is null ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(settings.TraceSampleRatio)));
                tracing.AddSource(OrleansMeter + ".*")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics"))
                    .AddNpgsql();
                if (settings.OtlpUri is { } endpoint)
                {
                    tracing.AddOtlpExporter(o => Configure(o, endpoint, settings, "v1/traces"));
                }
            });
        return builder;
    }

    /// <summary>
    /// The names users scrape stay as the instruments name them (ours already end in <c>_total</c> or <c>_seconds</c>): no unit
    /// or <c>_total</c> suffix added, which would rename Orleans' (<c>orleans_app_requests_latency</c> would become
    /// <c>..._milliseconds</c>); no <c>otel_scope_*</c> labels, no <c>target_info</c>. No response cache: the database-backed
    /// gauges have their own (<c>MetricsCacheSeconds</c>).
    /// </summary>
    private static void ConfigurePrometheus(PrometheusAspNetCoreOptions options)
    {
        options.TranslationStrategy = PrometheusAspNetCoreTranslationStrategy.UnderscoreEscapingWithoutSuffixes;
        options.ScopeInfoEnabled = false;
        options.TargetInfoEnabled = false;
        options.ScrapeResponseCacheDurationMilliseconds = 0;
    }

    /// <summary>
    /// A meter listener hears every meter of its name in the process. Ours and Orleans' are made by the host's
    /// <see cref="IMeterFactory"/> (scoped to it); another host's are dropped, as tests run several hosts in one process.
    /// Process-wide meters (Npgsql's, scope null) are kept.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHost(IMeterFactory factory) =>
        instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop;

    private static void Configure(OtlpExporterOptions options, Uri endpoint, TelemetrySettings settings, string signalPath)
    {
        options.Protocol = settings.OtlpProtocol;
        // With http/protobuf the endpoint is the collector's base address; each signal has its own path under it.
        options.Endpoint = settings.OtlpProtocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, signalPath) : endpoint;
    }
}

/// <summary>Configuration section <c>Telemetry</c>.</summary>
public sealed class TelemetrySettings
{
    /// <summary>An OTLP collector (e.g. <c>http://otel-collector:4317</c>); unset: traces and metrics are not pushed anywhere.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>Grpc</c> (port 4317, the default) or <c>HttpProtobuf</c> (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The share of traces the platform starts itself (no sampled caller) that are recorded and pushed; 1 = all.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    internal Uri? OtlpUri => OtlpEndpoint is { Length: > 0 } endpoint ? new Uri(endpoint, UriKind.Absolute) : null;
}
