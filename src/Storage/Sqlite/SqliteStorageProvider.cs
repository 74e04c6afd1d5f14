using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ReturnOps.Storage.Sqlite;

/// <summary>
/// SQLite in WAL mode: the embedded default for one process. Writers take the database lock up front
/// (BEGIN IMMEDIATE) so that two writers never deadlock upgrading a read lock, and an in-process gate
/// queues them instead of letting them spin on SQLITE_BUSY.
/// </summary>
public sealed class SqliteStorageProvider : IStorageProvider, IGrainStateDatabase
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteStorageProvider(string connectionString, string origin)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        _connectionString = builder.ToString();
        DataSource = SqliteFactory.Instance.CreateDataSource(_connectionString);
        GrainStorage = new GrainStateStore(this, origin, groupCommits: false);
        ChangeFeed = InProcessChangeFeed.For(Path.GetFullPath(builder.DataSource));
    }

    public string Name => "Sqlite";
    public IGrainStateStore GrainStorage { get; }
    public IChangeFeed ChangeFeed { get; }

    /// <summary>
    /// Plain access to the database file. Writers here bypass the in-process write gate and rely on
    /// SQLite's busy timeout instead; keep their transactions short.
    /// </summary>
    public DbDataSource DataSource { get; }

    public async Task MigrateAsync(IEnumerable<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        await WriteAsync(async (c, tx) =>
        {
            await MigrationRunner.ApplyAsync(c, tx, migrations, m => m.SqliteSql, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null, "SELECT 1", cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new StorageUnavailableException("SQLite database cannot be opened: " + ex.Message, ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one immediate transaction, committed only if it returns.</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, tx);
            await tx.CommitAsync(cancellationToken);
            return result;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 or 10 or 14)
        {
            throw new StorageUnavailableException("SQLite database is busy or unreadable: " + ex.Message, ex);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    async Task<T> IGrainStateDatabase.ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await read(connection);
    }

    /// <summary>Always in an immediate transaction behind the write gate: here that is how writers take turns, not a cost.</summary>
    Task<T> IGrainStateDatabase.WriteAsync<T>(bool transaction, Func<DbConnection, DbTransaction?, Task<T>> write,
        CancellationToken cancellationToken) => WriteAsync((connection, tx) => write(connection, tx), cancellationToken);

    /// <summary>Nobody to wake: SQLite's dispatcher is in this process and polls.</summary>
    void IGrainStateDatabase.MessagesStored()
    {
    }

    /// <summary>No signal across SQLite connections: the dispatcher polls (and is woken in-process by replays).</summary>
    Task IGrainStateDatabase.ListenForMessagesAsync(Action onStored, CancellationToken cancellationToken) => Task.CompletedTask;

    internal static async Task Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqliteCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
