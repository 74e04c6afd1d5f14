using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Silo.Messaging;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Observability;

/// <summary>
/// The gateway's instruments. Database-backed gauges are read at most once per <see cref="GatewayOptions.MetricsCacheSeconds"/>
/// (a scrape between reuses the last values), never per request: a flood of scrapes runs no aggregate query.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "ReturnOps.Gateway";

    /// <summary>The buckets (seconds) dashboards already query by <c>le</c>; OpenTelemetry's default ones are for milliseconds.</summary>
    private static readonly double[] s_latencyBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _unauthenticated;
    private readonly GatewayDatabase _database;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _cacheFor;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _refreshedAt = long.MinValue;
    private long _outboxBacklog;
    private IReadOnlyDictionary<string, long> _seats = new Dictionary<string, long>();

    /// <param name="activations">The co-hosted silo's activations; none when the gateway is only a client of the cluster.</param>
    public GatewayMetrics(IMeterFactory meters, GatewayDatabase database, IOptions<GatewayOptions> options, TimeProvider clock, IActivationWorkingSet? activations = null)
    {
        _database = database;
        _clock = clock;
        _cacheFor = TimeSpan.FromSeconds(Math.Max(0, options.Value.MetricsCacheSeconds));
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("returnops_http_requests_total", description: "HTTP requests by route, method and status.");
        _duration = _meter.CreateHistogram("returnops_http_request_duration_seconds", "s", "HTTP request latency by route, method and status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_latencyBounds });
        _unauthenticated = _meter.CreateCounter<long>("returnops_unauthenticated_requests_total",
            description: "Requests refused for want of a valid token, by route; counted here instead of in the audit log.");
        _meter.CreateObservableGauge("returnops_grain_activations", () => activations?.Count ?? 0, description: "Live grain activations in this replica.");
        _meter.CreateObservableGauge("returnops_outbox_backlog", () => Volatile.Read(ref _outboxBacklog), description: "Outbox messages not yet delivered.");
        _meter.CreateObservableGauge("returnops_booked_seats", () => _seats.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("status", s.Key))),
            description: "Seats in bookings by booking status, over all operations.");
    }

    public void RecordRequest(string route, string method, int status, double seconds)
    {
        TagList tags = new() { { "route", route }, { "method", method }, { "status", status } };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    /// <summary>A request without a valid token was refused; <paramref name="route"/> is its route template (bounded), not its path.</summary>
    public void RecordUnauthenticated(string route) => _unauthenticated.Add(1, new KeyValuePair<string, object?>("route", route));

    /// <summary>
    /// Reads the database-backed gauges unless they were read within the cache period; concurrent scrapes share one read.
    /// A failure leaves the last values (the scrape still answers).
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (Fresh())
        {
            return;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (!Fresh())
            {
                await ReadGaugesAsync(cancellationToken);
                Interlocked.Exchange(ref _refreshedAt, _clock.GetTimestamp());
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool Fresh()
    {
        var at = Interlocked.Read(ref _refreshedAt);
        return at != long.MinValue && _clock.GetElapsedTime(at) < _cacheFor;
    }

    private async Task ReadGaugesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.RunAsync(async connection =>
            {
                Volatile.Write(ref _outboxBacklog, await OutboxQueries.CountAsync(connection, DeliveryStatus.Pending, cancellationToken));
                await using var seats = GatewayDatabase.Command(connection,
                    "SELECT COALESCE(SUM(confirmed_seats), 0), COALESCE(SUM(waitlisted_seats), 0) FROM operation_list");
                await using var reader = await seats.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    _seats = new Dictionary<string, long>
                    {
                        ["Confirmed"] = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
                        ["Waitlisted"] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                    };
                }
                return 0;
            }, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            // Keep the last values; /health/ready reports the outage.
        }
    }

    public void Dispose()
    {
        _meter.Dispose();
        _refresh.Dispose();
    }
}
