using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReturnOps.Storage.Postgres;
using ReturnOps.Storage.Tests.Hosting;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests;

/// <summary>
/// Pooled connections go back without a reset (issue 13: DISCARD ALL was 8 statements per booking), so no session state
/// may travel with them: the change feed's LISTEN has a connection of its own, and no pooled connection listens.
/// </summary>
public sealed class PooledConnectionTests(SharedPostgres postgres)
{
    [Fact]
    public async Task The_change_feed_listens_on_its_own_connection_and_no_pooled_connection_listens()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres", postgres);
        await using var storage = new PostgresStorageProvider(database.ConnectionString, "pool-tests", NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var heard = new TaskCompletionSource<StateChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        await storage.ChangeFeed.SubscribeAsync(change => heard.TrySetResult(change), stop.Token);

        // Many pooled connections at once and one after another: none of them is the listener, none listens.
        var connections = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => storage.DataSource.OpenConnectionAsync().AsTask()));
        foreach (var connection in connections)
        {
            Assert.Equal(0L, await ListeningChannels(connection));
            await connection.DisposeAsync();
        }
        await using (var again = await storage.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(0L, await ListeningChannels(again));
        }

        // The listener still hears what is published.
        var published = new StateChange(new GrainKey("pool", "heard"), 7, "pool-tests");
        storage.ChangeFeed.Publish(published);
        Assert.Equal(published, await heard.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1L, await CountListenersAsync(database.ConnectionString));

        // Stopped, the listening session ends: it does not go back to the pool, where the next user would inherit the LISTEN.
        await stop.CancelAsync();
        await Eventually.True(async () => await CountListenersAsync(database.ConnectionString) == 0, "the listening session to end");
        var after = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => storage.DataSource.OpenConnectionAsync().AsTask()));
        foreach (var connection in after)
        {
            Assert.Equal(0L, await ListeningChannels(connection));
            await connection.DisposeAsync();
        }
    }

    private static async Task<long> ListeningChannels(System.Data.Common.DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_listening_channels()";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sessions of this database that listen (seen from a connection outside the provider).</summary>
    private static async Task<long> CountListenersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
