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
        return new StorageSettings(provider, connectionString);
    }

    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
}
