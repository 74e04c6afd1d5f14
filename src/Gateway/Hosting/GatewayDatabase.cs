using System.Data.Common;
using ReturnOps.Storage;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// Connections to the gateway's tables (and the read models) through the database's data source. Every database
/// failure surfaces as <see cref="StorageUnavailableException"/>, which the problem mapper answers with 503.
/// </summary>
public sealed partial class GatewayDatabase(IStorageProvider storage)
{
    public string Provider => storage.Name;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await storage.DataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StorageUnavailableException("The database cannot be reached.", ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection, translating database failures.</summary>
    public async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            return await work(connection);
        }
        catch (DbException ex)
        {
            throw new StorageUnavailableException("A database command failed: " + ex.Message, ex);
        }
    }

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        StatementBatch.Command(connection, null, new Statement(sql, parameters));
}
