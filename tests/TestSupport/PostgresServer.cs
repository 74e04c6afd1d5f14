using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReturnOps.TestSupport;

/// <summary>
/// A throwaway PostgreSQL 15 cluster on a free loopback port, made by the tests themselves and removed
/// afterwards. As root it runs the server as user <c>postgres</c> through runuser. fsync is off: the
/// tests need a real engine, not durability across a power cut.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static readonly bool s_isRoot = Environment.UserName == "root";
    private readonly string _directory;
    private int _databases;
    private bool _durable;
    private bool _statistics;

    private PostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=30;Maximum Pool Size=100";

    public static Task<PostgresServer> StartAsync() => StartAsync(durable: false);

    /// <param name="durable">fsync and synchronous commits on, as in production (benchmarks); tests run without them.</param>
    /// <param name="statistics">pg_stat_statements loaded (a benchmark's count of statements per booking; extension created per database).</param>
    public static async Task<PostgresServer> StartAsync(bool durable, bool statistics = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), "returnops-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (s_isRoot)
        {
            await Run("/usr/bin/chown", $"postgres {directory}", asPostgres: false);
        }
        await Run(Path.Combine(BinDirectory, "initdb"), $"-D {directory}/data -U postgres --auth=trust --no-sync -E UTF8 --locale=C", asPostgres: true);
        var server = new PostgresServer(directory, FreePort());
        server._durable = durable;
        server._statistics = statistics;
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "returnops_" + Interlocked.Increment(ref _databases);
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: connections are cut, as in an outage).</summary>
    public Task StopServerAsync() =>
        Run(Path.Combine(BinDirectory, "pg_ctl"), $"-D {_directory}/data -m fast -w stop", asPostgres: true);

    public Task StartServerAsync() =>
        Run(Path.Combine(BinDirectory, "pg_ctl"),
            $"-D {_directory}/data -l {_directory}/server.log -w -t 60 -o \"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 " +
            (_durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off ") +
            (_statistics ? "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all " : "") + "-c max_connections=300 -c shared_buffers=128MB\" start",
            asPostgres: true);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Run(Path.Combine(BinDirectory, "pg_ctl"), $"-D {_directory}/data -m immediate -w stop", asPostgres: true);
        }
        catch (InvalidOperationException)
        {
            // Already stopped by a test.
        }
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Run(string program, string arguments, bool asPostgres)
    {
        var info = asPostgres && s_isRoot
            ? new ProcessStartInfo("/usr/sbin/runuser", $"-u postgres -- {program} {arguments}")
            : new ProcessStartInfo(program, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {arguments} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
