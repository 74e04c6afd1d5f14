using ReturnOps.TestSupport;

namespace ReturnOps.TenYears;

/// <summary>
/// A fresh database for one run: a SQLite file in the temporary directory, or a PostgreSQL 15 server of its own with fsync
/// and synchronous commit on (as in production; the tests' servers run without them). Removed afterwards.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _server;
    private readonly string? _file;

    private BenchDatabase(string connectionString, PostgresServer? server, string? file)
    {
        ConnectionString = connectionString;
        _server = server;
        _file = file;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string provider)
    {
        if (provider == "Postgres")
        {
            var server = await PostgresServer.StartAsync(durable: true);
            return new BenchDatabase(await server.CreateDatabaseAsync(), server, null);
        }
        var file = Path.Combine(Path.GetTempPath(), $"tenyears-{Guid.NewGuid():N}.db");
        return new BenchDatabase($"Data Source={file}", null, file);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_file is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" }.Where(File.Exists))
            {
                File.Delete(path);
            }
        }
    }
}
