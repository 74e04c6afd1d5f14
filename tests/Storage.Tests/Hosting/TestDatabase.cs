using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReturnOps.Storage.Postgres;
using ReturnOps.Storage.Sqlite;
using ReturnOps.TestSupport;

namespace ReturnOps.Storage.Tests.Hosting;

/// <summary>
/// A fresh database migrated by our runner with <see cref="StorageSchema"/> and <see cref="OrleansSchema"/>, as a
/// silo's start would: a new database in the shared throwaway PostgreSQL, or a temporary SQLite file.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFile;

    private TestDatabase(string provider, string connectionString, string? sqliteFile)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    /// <summary>The ADO.NET invariant Orleans knows the provider by; it maps "System.Data.SQLite" to Microsoft.Data.Sqlite.</summary>
    public string Invariant => Provider == "Postgres" ? "Npgsql" : "System.Data.SQLite";

    public static async Task<TestDatabase> CreateAsync(string provider, SharedPostgres postgres)
    {
        IEnumerable<Migration> migrations = [.. StorageSchema.Migrations, .. OrleansSchema.Migrations];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (provider == "Postgres")
        {
            var server = await postgres.GetAsync();
            var connectionString = await server.CreateDatabaseAsync();
            await using var storage = new PostgresStorageProvider(connectionString, "storage-tests", NullLoggerFactory.Instance);
            await storage.MigrateAsync(migrations, timeout.Token);
            return new TestDatabase(provider, connectionString, null);
        }
        var file = Path.Combine(Path.GetTempPath(), $"returnops-orleans-{Guid.NewGuid():N}.db");
        var sqlite = $"Data Source={file}";
        await using (var storage = new SqliteStorageProvider(sqlite, "storage-tests"))
        {
            await storage.MigrateAsync(migrations, timeout.Token);
        }
        return new TestDatabase("Sqlite", sqlite, file);
    }

    /// <summary>Runs a query straight against the database and returns the first column of the first row as a number.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }

    private DbConnection Open() => Provider == "Postgres" ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    public ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
        return ValueTask.CompletedTask;
    }
}
