using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReturnOps.Gateway.Hosting;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Observability;

/// <summary>The gateway's instruments. Database-backed gauges are refreshed once per scrape, not per request.</summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "ReturnOps.Gateway";
    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly GatewayDatabase _database;
    private long _outboxBacklog;
    private IReadOnlyDictionary<string, long> _seats = new Dictionary<string, long>();

    /// <param name="activations">The co-hosted silo's activations; none when the gateway is only a client of the cluster.</param>
    public GatewayMetrics(IMeterFactory meters, GatewayDatabase database, IActivationWorkingSet? activations = null)
    {
        _database = database;
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("returnops_http_requests_total", description: "HTTP requests by route, method and status.");
        _duration = _meter.CreateHistogram<double>("returnops_http_request_duration_seconds", "s", "HTTP request latency by route, method and status.");
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

    /// <summary>Reads the database-backed gauges; a failure leaves the last values (the scrape still answers).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.RunAsync(async connection =>
            {
                await using (var backlog = GatewayDatabase.Command(connection, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"))
                {
                    Volatile.Write(ref _outboxBacklog, Convert.ToInt64(await backlog.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
                }
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

    public void Dispose() => _meter.Dispose();
}
