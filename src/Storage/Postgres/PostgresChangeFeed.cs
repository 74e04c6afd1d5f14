using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ReturnOps.Storage.Postgres;

/// <summary>
/// LISTEN/NOTIFY on channel <c>returnops_state</c>. Writers never wait for it: changes are queued and
/// sent after commit, many per NOTIFY, because a NOTIFY inside every write transaction would take
/// PostgreSQL's global notify lock on every commit.
/// </summary>
internal sealed partial class PostgresChangeFeed(PostgresStorageProvider provider, ILogger<PostgresChangeFeed> logger) : IChangeFeed
{
    private const string Channel = "returnops_state";
    private const int MaxPerNotify = 50; // keeps a payload far below PostgreSQL's 8000-byte limit for ordinary keys

    private readonly Channel<StateChange> _pending = System.Threading.Channels.Channel.CreateUnbounded<StateChange>(
        new UnboundedChannelOptions { SingleReader = true });
    private int _senderStarted;

    public void Publish(StateChange change)
    {
        _pending.Writer.TryWrite(change);
        if (Interlocked.Exchange(ref _senderStarted, 1) == 0)
        {
            _ = Task.Run(SendLoop);
        }
    }

    public async Task SubscribeAsync(Action<StateChange> onChange, CancellationToken cancellationToken)
    {
        var connection = await Listen(onChange, cancellationToken);
        _ = Task.Run(() => ListenLoop(connection, onChange, cancellationToken), CancellationToken.None);
    }

    private async Task<NpgsqlConnection> Listen(Action<StateChange> onChange, CancellationToken cancellationToken)
    {
        var connection = await provider.Guard(async () => await provider.Listening.OpenConnectionAsync(cancellationToken));
        connection.Notification += (_, e) =>
        {
            foreach (var change in Decode(e.Payload))
            {
                onChange(change);
            }
        };
        await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
        await listen.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task ListenLoop(NpgsqlConnection? connection, Action<StateChange> onChange, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                connection ??= await Listen(onChange, cancellationToken);
                await connection.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or StorageUnavailableException)
            {
                // While the feed is down, event streams miss signals; a stream shows the change with the next one.
                LogListenLost(logger, ex);
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
                // Real time on purpose: this paces reconnects to a server, it is not domain time.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task SendLoop()
    {
        var batch = new List<StateChange>(MaxPerNotify);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxPerNotify && _pending.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }
            try
            {
                await using var command = provider.Npgsql.CreateCommand("SELECT pg_notify(@channel, @payload)");
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payload", Encode(batch));
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
            {
                LogNotifyFailed(logger, batch.Count, ex);
            }
        }
    }

    private static string Encode(List<StateChange> changes) =>
        JsonSerializer.Serialize(changes.Select(c => new StateChangeNotice(c.Grain.Type, c.Grain.Key, c.Version, c.Origin)).ToArray(),
            StorageJsonContext.Default.StateChangeNoticeArray);

    private static IEnumerable<StateChange> Decode(string payload)
    {
        var notices = JsonSerializer.Deserialize(payload, StorageJsonContext.Default.StateChangeNoticeArray) ?? [];
        return notices.Select(n => new StateChange(new GrainKey(n.T, n.K), n.V, n.O));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection; event streams miss changes until it is back")]
    private static partial void LogListenLost(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce {Count} state changes")]
    private static partial void LogNotifyFailed(ILogger logger, int count, Exception ex);
}
