using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReturnOps.Storage;
using ReturnOps.Storage.Postgres;
using ReturnOps.Storage.Sqlite;

namespace ReturnOps.TestSupport;

/// <summary>
/// A fresh database for one test, on the provider under test: a temporary SQLite file, or a new
/// database in the shared throwaway PostgreSQL cluster.
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    private readonly string? _sqliteFile;

    private TestStorage(string provider, string connectionString, string? sqliteFile)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    public static async Task<TestStorage> CreateAsync(string provider, Func<Task<PostgresServer>> postgres)
    {
        if (provider == "Postgres")
        {
            var server = await postgres();
            return new TestStorage(provider, await server.CreateDatabaseAsync(), null);
        }
        var file = Path.Combine(Path.GetTempPath(), $"returnops-test-{Guid.NewGuid():N}.db");
        return new TestStorage("Sqlite", $"Data Source={file}", file);
    }

    /// <summary>
    /// Opens this database as a replica named <paramref name="origin"/> would (its own connection pool and change feed);
    /// the caller disposes it.
    /// </summary>
    public IStorageProvider CreateProvider(string origin, ILoggerFactory? loggers = null) => Provider == "Postgres"
        ? new PostgresStorageProvider(ConnectionString, origin, loggers ?? NullLoggerFactory.Instance)
        : new SqliteStorageProvider(ConnectionString, origin);

    /// <summary>Runs a query straight against the database, past the grains, and returns the first column as a number.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a statement straight against the database, as an operator or an attacker with access would.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private System.Data.Common.DbConnection Open() => Provider == "Postgres"
        ? new Npgsql.NpgsqlConnection(ConnectionString)
        : new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString);

    public ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
        return ValueTask.CompletedTask;
    }
}
