using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ReturnOps.Storage.Postgres;

/// <summary>PostgreSQL behind the runtime: the production and multi-replica provider.</summary>
public sealed class PostgresStorageProvider : IStorageProvider, IGrainStateDatabase
{
    // Any constant shared by every replica: migrations run under this advisory lock, one replica at a time.
    private const long MigrationLockKey = 0x52_65_74_4F_70_73;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listening;

    public PostgresStorageProvider(string connectionString, string origin, ILoggerFactory loggerFactory)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseLoggerFactory(loggerFactory);
        // A pooled connection goes back without DISCARD ALL: nothing here leaves session state behind (no session SET, no
        // session advisory lock, no temporary table; LISTEN has its own connections below). The reset was 8 statements per
        // booking in the rush (issue 13, bench --statements).
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _dataSource = builder.Build();
        // A LISTEN lives as long as its connection: listeners get connections of their own that close for good, so that
        // a pooled connection never carries a listen to its next user.
        var listening = new NpgsqlDataSourceBuilder(connectionString);
        listening.UseLoggerFactory(loggerFactory);
        listening.ConnectionStringBuilder.Pooling = false;
        _listening = listening.Build();
        GrainStorage = new GrainStateStore(this, origin, groupCommits: true);
        ChangeFeed = new PostgresChangeFeed(this, loggerFactory.CreateLogger<PostgresChangeFeed>());
        OutboxSignal = new PostgresOutboxSignal(this, loggerFactory.CreateLogger<PostgresOutboxSignal>());
    }

    public string Name => "Postgres";
    public IGrainStateStore GrainStorage { get; }
    public IChangeFeed ChangeFeed { get; }
    internal NpgsqlDataSource Npgsql => _dataSource;

    /// <summary>Unpooled connections for LISTEN (the change feed, the outbox signal).</summary>
    internal NpgsqlDataSource Listening => _listening;

    public DbDataSource DataSource => _dataSource;
    internal PostgresOutboxSignal OutboxSignal { get; }

    public async Task MigrateAsync(IEnumerable<Migration> migrations, CancellationToken cancellationToken)
    {
        await Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await Execute(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
            await MigrationRunner.ApplyAsync(connection, tx, migrations, m => m.PostgresSql, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return 0;
        });
    }

    public Task PingAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var command = _dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
        return 0;
    });

    Task<T> IGrainStateDatabase.ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await read(connection);
    });

    Task<T> IGrainStateDatabase.WriteAsync<T>(bool transaction, Func<DbConnection, DbTransaction?, Task<T>> write,
        CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Npgsql sends BEGIN with the first batch and COMMIT on its own: a transaction costs the commit's round trip, which a
        // lone statement, committing by itself, does without. Disposed uncommitted (the write threw), it rolls back.
        await using var tx = transaction ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var result = await write(connection, tx);
        if (tx is not null)
        {
            await tx.CommitAsync(cancellationToken);
        }
        return result;
    });

    void IGrainStateDatabase.MessagesStored() => OutboxSignal.Ring();

    Task IGrainStateDatabase.ListenForMessagesAsync(Action onStored, CancellationToken cancellationToken) =>
        OutboxSignal.ListenAsync(onStored, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _listening.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    /// <summary>
    /// Runs a database operation, turning "cannot reach the database" into <see cref="StorageUnavailableException"/>
    /// and emptying the pool, whose connections died with the server, so that the first call after a restart succeeds.
    /// </summary>
    internal async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            _dataSource.Clear();
            throw new StorageUnavailableException("PostgreSQL is unavailable: " + ex.Message, ex);
        }
    }

    private static bool IsUnavailable(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || pg.SqlState == PostgresErrorCodes.TooManyConnections,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException => true,
        _ => false,
    };

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
