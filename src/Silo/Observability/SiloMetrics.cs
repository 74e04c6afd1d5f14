using System.Diagnostics.Metrics;
using ReturnOps.Silo.Messaging;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Observability;

/// <summary>
/// A silo's own instruments beside Orleans' (activations, calls and membership come from Orleans' meter). The
/// database-backed gauges describe the whole cluster's backlog (any silo may report them) and are read once per scrape.
/// </summary>
public sealed class SiloMetrics : IDisposable
{
    public const string MeterName = "ReturnOps.Silo";
    private readonly Meter _meter;
    private readonly IStorageProvider _storage;
    private long _pending;
    private long _dead;

    public SiloMetrics(IMeterFactory meters, IStorageProvider storage)
    {
        _storage = storage;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("returnops_outbox_backlog", () => Volatile.Read(ref _pending), description: "Outbox messages not yet delivered.");
        _meter.CreateObservableGauge("returnops_outbox_dead", () => Volatile.Read(ref _dead), description: "Outbox messages that wait for an operator's replay.");
    }

    /// <summary>Reads the database-backed gauges; a failure leaves the last values (the scrape still answers).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _storage.DataSource.OpenConnectionAsync(cancellationToken);
            Volatile.Write(ref _pending, await OutboxQueries.CountAsync(connection, DeliveryStatus.Pending, cancellationToken));
            Volatile.Write(ref _dead, await OutboxQueries.CountAsync(connection, DeliveryStatus.Dead, cancellationToken));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or StorageUnavailableException)
        {
            // Keep the last values; /health/ready reports the outage.
        }
    }

    public void Dispose() => _meter.Dispose();
}
