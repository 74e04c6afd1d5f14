using System.Diagnostics.Metrics;
using System.Globalization;
using ReturnOps.Runtime;

namespace ReturnOps.Silo.Observability;

/// <summary>
/// A worker replica's instruments. The database-backed gauges describe the whole cluster's backlog (any worker
/// may report them) and are read once per scrape.
/// </summary>
public sealed class SiloMetrics : IDisposable
{
    public const string MeterName = "ReturnOps.Silo";
    private readonly Meter _meter;
    private readonly GrainRuntime _runtime;
    private long _pending;
    private long _dead;
    private long _overdueReminders;

    public SiloMetrics(IMeterFactory meters, GrainRuntime runtime)
    {
        _runtime = runtime;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("returnops_grain_activations", () => runtime.ActivationCount, description: "Live grain activations in this replica.");
        _meter.CreateObservableGauge("returnops_outbox_backlog", () => Volatile.Read(ref _pending), description: "Outbox messages not yet delivered.");
        _meter.CreateObservableGauge("returnops_outbox_dead", () => Volatile.Read(ref _dead), description: "Outbox messages that wait for an operator's replay.");
        _meter.CreateObservableGauge("returnops_reminders_overdue", () => Volatile.Read(ref _overdueReminders),
            description: "Reminders due for more than a minute: no replica is firing them.");
    }

    /// <summary>Reads the database-backed gauges; a failure leaves the last values (the scrape still answers).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var overdueBefore = _runtime.Clock.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds();
        try
        {
            await using var connection = await _runtime.Storage.DataSource.OpenConnectionAsync(cancellationToken);
            Volatile.Write(ref _pending, await CountAsync(connection, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'", null, cancellationToken));
            Volatile.Write(ref _dead, await CountAsync(connection, "SELECT COUNT(*) FROM outbox WHERE status = 'dead'", null, cancellationToken));
            Volatile.Write(ref _overdueReminders,
                await CountAsync(connection, "SELECT COUNT(*) FROM reminders WHERE due_ms < @before", overdueBefore, cancellationToken));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or StorageUnavailableException)
        {
            // Keep the last values; /health/ready reports the outage.
        }
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, string sql, long? before, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (before is { } value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "before";
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _meter.Dispose();
}
