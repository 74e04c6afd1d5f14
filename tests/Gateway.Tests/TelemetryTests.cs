using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OpenTelemetry.Trace;
using ReturnOps.TestSupport;

namespace ReturnOps.Gateway.Tests;

/// <summary>Issue 14: an operator follows one booking from the HTTP request through the grains to the database.</summary>
public sealed class TelemetryTests(SharedPostgres postgres) : GatewayTestBase(postgres)
{
    [Fact]
    public async Task A_booking_is_one_trace_from_the_HTTP_request_through_the_grain_to_the_database()
    {
        var spans = new LockedList<Activity>();
        var storage = await TestStorage.CreateAsync("Postgres", Postgres.GetAsync);
        await using var _ = storage;
        await using var host = await GatewayHost.StartAsync(storage,
            configure: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        var at = host.Token("coordinator", "AT");
        var operation = await Demo.CreateOperationAsync(host, at, TimeProvider.System.GetUtcNow(), ["AL"]);
        var returnee = await Demo.CreateReturneeAsync(host, at, "AT-TRACE-1");

        // The caller's trace context (W3C traceparent) is where the booking's trace starts.
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/operations/{operation}/bookings")
        {
            Content = JsonContent.Create(Demo.Booking([returnee], 2)),
        };
        request.Headers.Authorization = new("Bearer", at);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "trace-" + trace);
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        var booked = await host.SendAsync(request);
        Assert.True(booked.Status == HttpStatusCode.Created, "booking: " + booked);

        // The HTTP span ends after the answer left; the grain's server span ends before, so it cannot stand for it.
        await Eventually.True(() => spans.Snapshot().Any(s => s.TraceId == trace && s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore"),
            "the HTTP server span of the booking to be exported");
        var inTrace = spans.Snapshot().Where(s => s.TraceId == trace).ToList();
        var described = string.Join("\n", inTrace.Select(s => $"{s.Source.Name}: {s.DisplayName}"));
        Assert.True(inTrace.Any(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server), described);
        Assert.True(inTrace.Any(s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("RequestBooking", StringComparison.Ordinal)), described);
        Assert.True(inTrace.Any(s => s.Source.Name == "Npgsql"), described);
    }

    /// <summary>
    /// Every name of api.md and the dashboards survives the move to OpenTelemetry's exporter, Orleans' without a unit suffix
    /// (the hand-written writer named them so: <c>orleans_app_requests_latency</c>).
    /// </summary>
    [Fact]
    public async Task The_metrics_users_scrape_keep_their_names()
    {
        var host = await StartAsync();
        await host.GetAsync("/api/v1/countries", host.Token("admin"));
        await host.GetAsync("/api/v1/returnees", null);
        var scrape = (await host.GetAsync("/metrics", null)).Body;
        string[] series =
        [
            "returnops_http_requests_total{", "returnops_http_request_duration_seconds_bucket{", "returnops_http_request_duration_seconds_count{",
            "returnops_grain_activations", "returnops_outbox_backlog", "returnops_booked_seats{status=\"Confirmed\"}",
            "returnops_booked_seats{status=\"Waitlisted\"}", "returnops_unauthenticated_requests_total{route=", "orleans_app_requests_latency_bucket{",
            "orleans_catalog_activations{",
        ];
        var samples = scrape.Split('\n').Where(l => !l.StartsWith('#')).ToList();
        Assert.All(series, name => Assert.True(samples.Any(l => l.StartsWith(name, StringComparison.Ordinal)), $"no sample {name} in:\n{scrape}"));
        // The seconds buckets dashboards query, not OpenTelemetry's default (milliseconds) ones.
        Assert.Contains("returnops_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/countries/\",status=\"200\",le=\"0.005\"}", scrape, StringComparison.Ordinal);
    }

    /// <summary>The exporter adds from the threads that end activities; the test reads a copy.</summary>
    private sealed class LockedList<T> : Collection<T>
    {
        private readonly Lock _lock = new();

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }

        public List<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. this];
            }
        }
    }
}
