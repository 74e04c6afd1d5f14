using ReturnOps.Storage;
using ReturnOps.Storage.Postgres;
using ReturnOps.Storage.Sqlite;

namespace ReturnOps.Silo.Hosting;

/// <summary>The storage keys of the contract: <c>Storage:Provider</c> and <c>Storage:ConnectionString</c>.</summary>
public sealed record StorageSettings(string Provider, string ConnectionString)
{
    public static StorageSettings From(IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] is { Length: > 0 } p ? p : "Sqlite";
        var connectionString = configuration["Storage:ConnectionString"] is { Length: > 0 } c ? c
            : provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) ? "Data Source=returnops.db"
            : throw new InvalidOperationException("Storage:ConnectionString is required for provider " + provider + ".");
        if (!provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) && !provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Storage:Provider must be Sqlite or Postgres, not '{provider}'.");
        }
        return new StorageSettings(provider, connectionString);
    }

    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The ADO.NET invariant Orleans' providers know the database by (Microsoft.Data.Sqlite answers to System.Data.SQLite).</summary>
    public string OrleansInvariant => IsPostgres ? "Npgsql" : "System.Data.SQLite";

    /// <summary>Opens the database; <paramref name="origin"/> names this process in the change feed.</summary>
    public IStorageProvider Open(string origin, ILoggerFactory loggers) => IsPostgres
        ? new PostgresStorageProvider(ConnectionString, origin, loggers)
        : new SqliteStorageProvider(ConnectionString, origin);
}
