using Microsoft.Extensions.Logging;
using Npgsql;

namespace ReturnOps.Storage.Postgres;

/// <summary>
/// Wakes outbox dispatchers on every replica with <c>NOTIFY returnops_outbox</c> after a commit that
/// wrote outbox rows, and is where they <c>LISTEN</c> for it: both ends of the channel in one place. Sent after commit and
/// coalesced (at most one in flight, one queued), as the change feed is, so that writers never take PostgreSQL's notify
/// lock. A lost signal costs one poll interval.
/// </summary>
internal sealed partial class PostgresOutboxSignal(PostgresStorageProvider provider, ILogger logger)
{
    public const string Channel = "returnops_outbox";

    private int _state; // 0 idle, 1 sending, 2 sending and another signal queued

    public void Ring()
    {
        if (Interlocked.Increment(ref _state) == 1)
        {
            _ = Task.Run(SendLoop);
        }
        else
        {
            // Several rings while one is in flight collapse into one more NOTIFY.
            Interlocked.CompareExchange(ref _state, 2, 3);
        }
    }

    /// <summary>Calls <paramref name="onSignal"/> whenever a writer announces new outbox rows, until cancelled.</summary>
    public async Task ListenAsync(Action onSignal, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await provider.Guard(async () => await provider.Listening.OpenConnectionAsync(cancellationToken));
                connection.Notification += (_, _) => onSignal();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }
                // Rows written while no one listened are found by this look, then by NOTIFY.
                onSignal();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or StorageUnavailableException)
            {
                LogListenLost(logger, ex);
                // Real time on purpose: this paces reconnects to a server; polling covers the gap.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SendLoop()
    {
        do
        {
            try
            {
                await using var command = provider.Npgsql.CreateCommand($"NOTIFY {Channel}");
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
            {
                LogNotifyFailed(logger, ex);
            }
        }
        while (Interlocked.Decrement(ref _state) > 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection for outbox signals; polling until it is back")]
    private static partial void LogListenLost(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake outbox dispatchers; they will find the rows by polling")]
    private static partial void LogNotifyFailed(ILogger logger, Exception ex);
}
